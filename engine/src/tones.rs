//! The node's tones, rendered once per tone plan and law and shared by every session.

use std::collections::HashMap;
use std::sync::Arc;

use protocols::g711::Law;
use protocols::tone::{Tone, TonePlan, ToneTable};

/// Every tone of one plan in both G.711 laws.
#[derive(Debug, Clone)]
pub struct ToneBank {
    tables: HashMap<(Tone, Law), Arc<ToneTable>>,
}

impl ToneBank {
    pub fn new(plan: TonePlan) -> ToneBank {
        let mut tables = HashMap::new();
        for tone in [Tone::Dial, Tone::Ringback, Tone::Busy, Tone::Congestion] {
            for law in [Law::Alaw, Law::Ulaw] {
                tables.insert((tone, law), Arc::new(ToneTable::render(plan, tone, law)));
            }
        }
        ToneBank { tables }
    }

    pub fn get(&self, tone: Tone, law: Law) -> Arc<ToneTable> {
        self.tables[&(tone, law)].clone()
    }
}
