//! Small value checks shared by several sections: prices, names, socket addresses.

use std::net::SocketAddr;

use crate::error::Problem;

/// A rate or price: finite and not negative.
pub(crate) fn non_negative(value: f64) -> Result<f64, Problem> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Problem::Negative(value))
    }
}

/// A name that is also a metric label value (trunk names): letters, digits, `-`, `_`.
pub(crate) fn label_name(name: String) -> Result<String, Problem> {
    if name.is_empty() {
        Err(Problem::Empty)
    } else if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(name)
    } else {
        Err(Problem::BadName)
    }
}

/// A socket address to listen on or send to: IPv4 `127.0.0.1:5060` or IPv6
/// `[::1]:5060`, port not 0. Host names are refused: the node does no DNS lookups
/// for its own configuration.
pub(crate) fn socket_addr(text: &str) -> Result<SocketAddr, Problem> {
    let addr: SocketAddr = text.parse()?;
    if addr.port() == 0 {
        return Err(Problem::Expected("a port other than 0"));
    }
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_must_not_be_negative() {
        assert_eq!(non_negative(0.0), Ok(0.0));
        assert_eq!(non_negative(-0.5), Err(Problem::Negative(-0.5)));
        assert!(non_negative(f64::NAN).is_err());
        assert!(non_negative(f64::INFINITY).is_err());
    }

    #[test]
    fn label_names() {
        assert!(label_name("gsm1".into()).is_ok());
        assert!(label_name("pbx_2-b".into()).is_ok());
        assert_eq!(label_name(String::new()), Err(Problem::Empty));
        assert_eq!(label_name("a b".into()), Err(Problem::BadName));
        assert_eq!(label_name("trunk\"x".into()), Err(Problem::BadName));
    }

    #[test]
    fn socket_addresses() {
        assert_eq!(socket_addr("127.0.0.1:5060").unwrap().port(), 5060);
        assert!(socket_addr("[::1]:5060").unwrap().is_ipv6());
        assert!(matches!(
            socket_addr("localhost:5060"),
            Err(Problem::Address(_))
        ));
        assert!(matches!(socket_addr("127.0.0.1"), Err(Problem::Address(_))));
        assert!(matches!(socket_addr("::1:5060"), Err(Problem::Address(_))));
        assert!(matches!(
            socket_addr("127.0.0.1:70000"),
            Err(Problem::Address(_))
        ));
        assert!(matches!(
            socket_addr("127.0.0.1:0"),
            Err(Problem::Expected(_))
        ));
    }
}
