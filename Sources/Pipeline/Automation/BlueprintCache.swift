import Automation
import Foundation
import Storage
import Synchronization

/// Parsed blueprints by scenario, so a webhook's request and its run do not parse the same JSON again. An
/// entry is used only while the scenario's text is the one it was parsed from.
public final class BlueprintCache: Sendable {
    private let entries = Mutex<[String: (text: Int, blueprint: Blueprint)]>([:])
    private let capacity: Int

    public init(capacity: Int = 2000) {
        self.capacity = capacity
    }

    public func blueprint(of scenario: StoredScenario) throws -> Blueprint {
        let key = scenario.blueprint.hashValue
        if let hit = entries.withLock({ $0[scenario.id] }), hit.text == key { return hit.blueprint }
        let blueprint = try Blueprint(data: Data(scenario.blueprint.utf8))
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[scenario.id] = (key, blueprint)
        }
        return blueprint
    }
}
