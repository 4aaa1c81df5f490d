//! The SIP user agent core of a trunk: dialogs, calls mapped onto the normalized call model, digest authentication, OPTIONS keepalive.
