import Automation
import Foundation
import LeadgenCore
import Storage

/// `leadgen:WatchEvents`, the trigger of scenarios that start on platform events. It keeps its settings in
/// `parameters`, as Make's watch triggers do: `{"events": ["lead.created", "lead.status_changed"]}` (or
/// `"event": "lead.created"`). Each run gets one bundle: the event's payload, plus `event`, `event_id`,
/// `occurred_at` and, for a lead event, the lead as it is when the run is queued at `lead`.
///
/// `leadgen:WatchLeads` is the same trigger as the Make app in `integrations/make` names it: on Make.com
/// its events are the webhook's, which a blueprint does not carry (only `__IMTHOOK__`), so without
/// `events` it watches new leads.
enum PlatformEventTrigger {
    static let module = "leadgen:WatchEvents"
    static let makeAppModule = "leadgen:WatchLeads"
    static let modules: Set<String> = [module, makeAppModule]

    /// The events the blueprint's trigger watches; empty when it does not start on events.
    static func events(of blueprint: Blueprint) -> [String] {
        guard let first = blueprint.flow.first, modules.contains(first.module) else { return [] }
        let parameters = first.parameters ?? .object([:])
        var names: [String] = []
        if case .array(let items)? = parameters["events"] { names += items.compactMap(\.stringValue) }
        if let one = parameters["event"]?.stringValue { names.append(one) }
        if names.isEmpty, first.module == makeAppModule { names = [PlatformEvent.Kind.leadCreated.rawValue] }
        return names.map { PlatformEvent.formerNames[$0]?.rawValue ?? $0 }
    }

    /// What is wrong with the trigger: no event, or events the platform does not have or a scenario cannot
    /// start on.
    static func problems(_ blueprint: Blueprint) -> [BlueprintProblem] {
        guard let first = blueprint.flow.first, modules.contains(first.module) else { return [] }
        let names = events(of: blueprint)
        let known = Set(PlatformEvent.scenarioEvents.map(\.rawValue))
        if names.isEmpty {
            return [
                BlueprintProblem(
                    moduleID: first.id, module: first.module,
                    message: "parameters.events names no event (one of \(known.sorted().joined(separator: ", ")))")
            ]
        }
        return names.filter { !known.contains($0) }.map {
            BlueprintProblem(
                moduleID: first.id, module: first.module,
                message: "'\($0)' is not a platform event (one of \(known.sorted().joined(separator: ", ")))")
        }
    }
}
