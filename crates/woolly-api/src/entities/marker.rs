//! `Marker` (`entities/Marker.md`): where a user stopped reading a timeline, so that every
//! device opens it at the same place.

use std::collections::BTreeMap;

use serde::Serialize;
use woolly_core::profile::Marker;
use woolly_http::time::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct MarkerEntity {
    pub last_read_id: String,
    pub version: i64,
    pub updated_at: String,
}

/// The markers asked for, keyed by timeline (`home`, `notifications`).
pub fn markers(markers: &[Marker]) -> BTreeMap<String, MarkerEntity> {
    markers
        .iter()
        .map(|marker| {
            (
                marker.timeline.clone(),
                MarkerEntity {
                    last_read_id: marker.last_read_id.to_string(),
                    version: marker.version,
                    updated_at: iso8601(marker.updated_at),
                },
            )
        })
        .collect()
}
