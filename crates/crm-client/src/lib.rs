//! crm-client
