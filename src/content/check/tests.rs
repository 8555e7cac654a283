//! Tests for `load`: lesson trees built in memory, each with one mistake.
