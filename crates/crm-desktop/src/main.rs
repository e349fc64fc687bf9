//! The desktop app: a Tauri 2 window around `app-ui`. Every command is a one-line call
//! into `crm-client`; no business rule lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod call_listener;
mod commands;
mod import_commands;
mod report_commands;
mod sales_commands;
mod service_commands;

use crm_client::Client;
use std::time::Duration;
use tauri::{Emitter, Manager};

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let data_dir = match std::env::var_os("CRM_DATA_DIR") {
                Some(dir) => dir.into(),
                None => app.path().app_data_dir()?,
            };
            let client = Client::open(&data_dir)?;
            let interval = std::env::var("CRM_SYNC_INTERVAL_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
                .unwrap_or(Duration::from_secs(15));
            let background = client.clone();
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let notify = background.clone();
                background
                    .run_background_sync(interval, move || {
                        if let Ok(status) = notify.status() {
                            let _ = handle.emit("status-changed", status);
                        }
                    })
                    .await;
            });
            app.manage(client);
            tauri::async_runtime::spawn(call_listener::serve(app.handle().clone()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::login,
            commands::logout,
            commands::list_accounts,
            commands::search,
            commands::account_view,
            commands::create_record,
            commands::edit_record,
            commands::resolve_conflict,
            commands::sync_now,
            commands::unlock,
            commands::record_history,
            commands::delete_record,
            commands::reassign_account,
            commands::erase_person,
            sales_commands::list_deals,
            sales_commands::deal_view,
            sales_commands::create_deal,
            sales_commands::edit_deal,
            sales_commands::list_contracts,
            sales_commands::contract_view,
            sales_commands::list_products,
            sales_commands::quote_preview,
            sales_commands::create_quote,
            sales_commands::quote_view,
            sales_commands::list_quotes,
            sales_commands::set_quote_status,
            sales_commands::create_contract,
            sales_commands::edit_contract,
            sales_commands::set_pricing,
            sales_commands::agenda,
            sales_commands::list_tasks,
            sales_commands::reminders,
            sales_commands::sales_settings,
            sales_commands::export_quote_pdf,
            sales_commands::contact_view,
            commands::list_devices,
            commands::revoke_device,
            commands::change_password,
            commands::calendar_feed,
            commands::about,
            commands::filter_accounts,
            commands::saved_filters,
            commands::save_filter,
            commands::delete_filter,
            commands::attach_media,
            commands::media_bytes,
            sales_commands::export_contact_data,
            commands::refused_changes,
            commands::dismiss_refused,
            commands::open_conflicts,
            commands::people,
            commands::find_duplicates,
            commands::duplicate_pairs,
            sales_commands::edit_quote_lines,
            sales_commands::open_export,
            sales_commands::company_info,
            sales_commands::set_company_info,
            import_commands::import_upload,
            import_commands::import_preview,
            import_commands::import_run,
            import_commands::import_undo,
            import_commands::import_list,
            import_commands::merge_records,
            import_commands::export_list,
            import_commands::export_vcard,
            import_commands::import_vcard,
            report_commands::weekly_report,
            report_commands::team_report,
            report_commands::submit_report,
            report_commands::export_report,
            report_commands::dashboard,
            report_commands::export_dashboard,
            service_commands::list_leads,
            service_commands::lead_view,
            service_commands::add_lead,
            service_commands::qualify_lead,
            service_commands::disqualify_lead,
            service_commands::convert_lead,
            service_commands::list_tickets,
            service_commands::ticket_view,
            service_commands::add_ticket,
            service_commands::update_ticket,
            service_commands::incoming_call,
            service_commands::list_campaigns,
            service_commands::add_campaign,
            service_commands::campaign_preview,
            service_commands::send_campaign,
            service_commands::import_mail,
        ])
        .run(tauri::generate_context!())
        .expect("the desktop app could not start");
}
