//! Entry point of the desktop UI: styles, language, and the root component.

import './styles/index.css';
import { App } from './components/App';
import { lang } from './i18n';

document.documentElement.lang = lang();
const root = document.getElementById('app');
if (root) void new App(root).start();
