//! The rules a session asks about, as pure functions of the configuration: how a dialled
//! number is read ([`numbering`]), which trunks carry it ([`routing`]), whether the user
//! may call it ([`authorise`]) and what it costs ([`cost`]).

pub mod authorise;
pub mod cost;
pub mod numbering;
pub mod routing;

#[cfg(test)]
pub(crate) mod fixture {
    //! A small configuration shared by the policy tests.

    pub const CONFIG: &str = r#"
[node]
country_code = "48"
international_prefix = "00"

[[trunk]]
name = "operator"
kind = "sip"
listen = "127.0.0.1:5060"
peer = "127.0.0.1:5070"

[[trunk]]
name = "pbx"
kind = "sip"
listen = "127.0.0.1:5062"
peer = "127.0.0.1:5080"

[[trunk]]
name = "backup"
kind = "sip"
listen = "127.0.0.1:5064"
peer = "127.0.0.1:5090"
analog = true

[[trigger]]
number = "+48225551000"

[[user]]
extension = "101"
class = "national"
direct_rate = 1.79
  [[user.mobile]]
  number = "+48601111222"
  transit = true

[[class]]
name = "national"
allow = ["+48"]
deny = ["+48 70"]
max_concurrent = 1
max_cost_per_day = 50.0
max_minutes_per_day = 240

[dialplan]
internal = ["1XX"]
internal_trunk = "pbx"

[[route]]
prefix = "+48"
trunks = ["operator", "backup"]

[[route]]
prefix = ""
trunks = ["backup"]

[[tariff]]
trunk = "operator"
prefix = "+48"
per_minute = 0.10
setup = 0.05
increment = "60s"

[[tariff]]
trunk = "operator"
prefix = "+4860"
per_minute = 0.20
increment = "1s"
"#;

    pub fn config() -> config::Config {
        config::Config::from_toml(CONFIG).expect("the fixture is valid")
    }
}
