//! Servers as moderators and the public see them: `Admin::DomainBlock`
//! (`entities/Admin_DomainBlock.md`), `Admin::DomainAllow` (`entities/Admin_DomainAllow.md`)
//! and the public `DomainBlock` (`entities/DomainBlock.md`).

use serde::Serialize;
use woolly_core::instance_domain_blocks::{DomainAllow, DomainBlock};

use super::iso8601;

#[derive(Debug, Clone, Serialize)]
pub struct AdminDomainBlockEntity {
    pub id: String,
    pub domain: String,
    pub digest: String,
    pub created_at: String,
    pub severity: &'static str,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: Option<String>,
    pub public_comment: Option<String>,
    pub obfuscate: bool,
}

fn given(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

impl AdminDomainBlockEntity {
    pub fn new(block: &DomainBlock) -> AdminDomainBlockEntity {
        AdminDomainBlockEntity {
            id: block.id.to_string(),
            domain: block.domain.clone(),
            digest: block.digest(),
            created_at: iso8601(block.created_at),
            severity: block.severity.as_str(),
            reject_media: block.reject_media,
            reject_reports: block.reject_reports,
            private_comment: given(&block.private_comment),
            public_comment: given(&block.public_comment),
            obfuscate: block.obfuscate,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AdminDomainAllowEntity {
    pub id: String,
    pub domain: String,
    pub created_at: String,
}

impl AdminDomainAllowEntity {
    pub fn new(allow: &DomainAllow) -> AdminDomainAllowEntity {
        AdminDomainAllowEntity {
            id: allow.id.to_string(),
            domain: allow.domain.clone(),
            created_at: iso8601(allow.created_at),
        }
    }
}

/// A block in the public list: the domain (obfuscated if asked), its digest, what it does and,
/// when the operator shows them, why.
#[derive(Debug, Clone, Serialize)]
pub struct DomainBlockEntity {
    pub domain: String,
    pub digest: String,
    pub severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl DomainBlockEntity {
    pub fn new(block: &DomainBlock, rationale: bool) -> DomainBlockEntity {
        DomainBlockEntity {
            domain: block.public_domain(),
            digest: block.digest(),
            severity: block.severity.as_str(),
            comment: rationale.then(|| block.public_comment.clone()),
        }
    }
}
