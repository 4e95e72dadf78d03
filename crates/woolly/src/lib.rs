//! woolly
