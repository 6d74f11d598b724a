//! The rules of `audit-events`, one file each: the rule's documentation (read by the registry) and
//! what it judges in event data. The walk over the data is in [`super::events`].

pub mod credential_in_event;
pub mod customer_field_in_event;
pub mod event_unreadable;
pub mod frame_vars_in_event;
pub mod glance;
pub mod personal_data_in_event;
pub mod replay_media_in_recording;
pub mod replay_text_in_recording;
pub mod request_body_in_event;
