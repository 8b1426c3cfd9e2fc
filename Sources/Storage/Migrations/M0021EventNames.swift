extension Migration {
    /// `enrichment.completed` is called `enrichment.finished`, beside the new `sync.finished`: the scenarios
    /// that watch it, and the events waiting for them, follow the new name.
    static let m0021EventNames = Migration(name: "0021_event_names") { _ in
        [
            "UPDATE scenario_subscriptions SET event = 'enrichment.finished' WHERE event = 'enrichment.completed'",
            "UPDATE automation_events SET kind = 'enrichment.finished' WHERE kind = 'enrichment.completed'",
        ]
    }
}
