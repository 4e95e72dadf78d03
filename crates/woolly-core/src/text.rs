//! Plain text to HTML for local statuses (being written).
