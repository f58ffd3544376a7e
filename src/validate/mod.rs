//! Validation: a loaded register against the register schema (`schema`), then the hygiene
//! rules that need no reference model beyond the PRM ids (`hygiene`).

pub mod hygiene;
pub mod schema;
