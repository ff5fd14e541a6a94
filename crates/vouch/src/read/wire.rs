//! Wire enums: each variant's name is written once, and serves both serde (reading and
//! writing) and `as_str`.

/// Declares an enum whose variants carry their wire names: `Variant = "WIRE_NAME"`. Each name
/// becomes the variant's `#[serde(rename)]` and its `as_str`. The caller derives `Serialize`
/// and/or `Deserialize` as the enum needs.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant, )*
        }

        impl $name {
            /// The name as written in JSON and YAML.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )*
                }
            }
        }
    };
}

pub(crate) use wire_enum;
