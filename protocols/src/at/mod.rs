//! AT command layer (3GPP TS 27.007, V.250) for GSM modems.
