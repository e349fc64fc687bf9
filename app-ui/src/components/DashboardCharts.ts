//! The dashboard's bar charts, drawn with Chart.js: only the parts used are registered
//! (bar charts on a category and a linear axis, tooltips, legend), so the rest of the
//! library stays out of the bundle. Numbers and amounts are written the French way on the
//! axes and in the tooltips; charts are drawn at once, without animation (the real-window
//! test takes screenshots). A click on a bar says which one, so the page can list the
//! records behind it. The dashboard loads this module (and Chart.js) when first shown.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartOptions } from 'chart.js';
import { locale } from '../i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

// Printed, the page is narrower than the window: the charts are drawn again to fit it,
// and once more for the screen afterwards.
for (const event of ['beforeprint', 'afterprint']) {
  window.addEventListener(event, () => {
    for (const chart of Object.values(Chart.instances)) chart.resize();
  });
}

/** The axes' and legend's text: the app's secondary grey (base.css, 8:1 on white). */
const TEXT_COLOUR = '#46505e';

export interface BarDataset {
  label: string;
  data: number[];
  colour: string;
  /** Bars of the same stack are drawn on top of each other. */
  stack?: string;
}

export interface BarSpec {
  labels: string[];
  datasets: BarDataset[];
  /** Amounts in euros (else counts). */
  money: boolean;
  stacked?: boolean;
  /** A click on a bar: which dataset and which label. */
  onPick?: (dataset: number, index: number) => void;
}

/** Charts whose canvas left the page (the user went elsewhere) are let go. */
export function forgetDetachedCharts(): void {
  for (const chart of Object.values(Chart.instances)) {
    if (!chart.canvas?.isConnected) chart.destroy();
  }
}

/** A bar chart on `canvas`, replacing the one drawn there before. */
export class BarChart {
  private chart: Chart<'bar'> | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {}

  draw(spec: BarSpec): void {
    this.chart?.destroy();
    const numbers = new Intl.NumberFormat(locale(), spec.money ? { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 } : { maximumFractionDigits: 0 });
    const exact = new Intl.NumberFormat(locale(), spec.money ? { style: 'currency', currency: 'EUR' } : { maximumFractionDigits: 1 });
    const options: ChartOptions<'bar'> = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: locale(),
      interaction: { mode: 'nearest', intersect: true },
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (hit && spec.onPick) spec.onPick(hit.datasetIndex, hit.index);
      },
      onHover: (event, elements) => {
        const target = event.native?.target;
        if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 && spec.onPick ? 'pointer' : 'default';
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, color: TEXT_COLOUR } },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label ?? ''} : ${exact.format(Number(item.parsed.y ?? 0))}`,
          },
        },
      },
      scales: {
        x: { stacked: Boolean(spec.stacked), ticks: { color: TEXT_COLOUR }, grid: { display: false } },
        y: {
          stacked: Boolean(spec.stacked),
          beginAtZero: true,
          ticks: { color: TEXT_COLOUR, precision: 0, callback: (value) => numbers.format(Number(value)) },
        },
      },
    };
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset) => ({
          label: dataset.label,
          data: dataset.data,
          backgroundColor: dataset.colour,
          borderRadius: 3,
          maxBarThickness: 48,
          ...(dataset.stack ? { stack: dataset.stack } : {}),
        })),
      },
      options,
    });
  }
}
