//! Q.931 / DSS1 (ETSI EN 300 403) codec and call control.
