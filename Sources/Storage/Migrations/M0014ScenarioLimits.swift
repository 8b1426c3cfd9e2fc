extension Migration {
    /// A workspace's own limits for its scenario runs (operations, seconds, bytes) as JSON; NULL keeps the
    /// defaults.
    static let m0014ScenarioLimits = Migration(name: "0014_scenario_limits") { _ in
        ["ALTER TABLE workspaces ADD COLUMN scenario_limits TEXT"]
    }
}
