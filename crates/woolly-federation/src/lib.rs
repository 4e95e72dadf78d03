//! woolly-federation
