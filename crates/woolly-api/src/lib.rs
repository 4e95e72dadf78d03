//! woolly-api
