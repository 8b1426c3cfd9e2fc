import Automation
import Foundation
import LeadgenCore
import Storage

/// Turns platform events into scenario runs: each waiting event starts one run of every enabled scenario of
/// its workspace that watches it. The runs are queued in the transaction that deletes the event, so an event
/// starts each run once, however many dispatchers run at the same time; a dispatcher that dies before its
/// transaction commits leaves the event for the next one.
public struct ScenarioEventDispatchJob: JobHandler {
    public static let kind = AutomationEventStore.dispatchJobKind
    public static let scheduleName = "scenario-events"

    let database: LeadgenDatabase
    let events: AutomationEventStore
    let scenarios: ScenarioService
    let leads: LeadStore
    let companies: CompanyStore
    /// Events read per transaction.
    let batchSize: Int

    public init(
        database: LeadgenDatabase, events: AutomationEventStore, scenarios: ScenarioService, leads: LeadStore,
        companies: CompanyStore, batchSize: Int = 200
    ) {
        self.database = database
        self.events = events
        self.scenarios = scenarios
        self.leads = leads
        self.companies = companies
        self.batchSize = batchSize
    }

    public func run(_ job: Job) async throws {
        while try await dispatchBatch() > 0 {}
    }

    /// Dispatches one batch of waiting events; returns how many events it read.
    @discardableResult
    public func dispatchBatch() async throws -> Int {
        let pending = try await events.pending(limit: batchSize)
        guard !pending.isEmpty else { return 0 }
        var watchers: [String: [StoredScenario]] = [:]
        var planned: [(event: String, scenario: StoredScenario, bundle: JSON)] = []
        let leadBundles = try await self.leadBundles(pending)
        for event in pending {
            let key = event.workspaceID.rawValue + "|" + event.kind
            if watchers[key] == nil {
                var found: [StoredScenario] = []
                for id in try await events.subscribers(of: event.kind, in: event.workspaceID) {
                    if let scenario = try await scenarios.store.get(id, in: event.workspaceID) {
                        found.append(scenario)
                    }
                }
                watchers[key] = found
            }
            let bundle = Self.bundle(event, lead: event.subject.flatMap { leadBundles[$0] })
            for scenario in watchers[key]! { planned.append((event.id, scenario, bundle)) }
        }
        let (events, scenarios, runs) = (self.events, self.scenarios, planned)
        let queued = try await database.transaction { db -> Int in
            let taken = try await events.take(pending.map(\.id), on: db)
            var queued = 0
            for item in runs where taken.contains(item.event) {
                _ = try await scenarios.queue(item.scenario, trigger: "event", bundles: [item.bundle], on: db)
                queued += 1
            }
            return queued
        }
        if queued > 0 { await scenarios.wake() }
        return pending.count
    }

    /// The leads the events are about, as bundles, by id.
    func leadBundles(_ pending: [PlatformEvent]) async throws -> [String: JSON] {
        var result: [String: JSON] = [:]
        let byWorkspace = Dictionary(
            grouping: pending.filter {
                $0.kind.hasPrefix("lead.") || $0.kind.hasPrefix("message.") || $0.kind == "sync.failed"
                    || $0.kind == "sequence.enrollment.finished"
            }
        ) {
            $0.workspaceID
        }
        for (workspace, items) in byWorkspace {
            let ids = Array(Set(items.compactMap(\.subject))).map { LeadID(rawValue: $0) }
            let found = try await leads.get(ids, in: workspace)
            let companyOf = try await companies.get(Set(found.compactMap(\.companyID)), in: workspace)
            for lead in found {
                result[lead.id.rawValue] = LeadgenModules.bundle(lead, lead.companyID.flatMap { companyOf[$0] })
            }
        }
        return result
    }

    /// The trigger bundle: the payload, what happened and when, and the lead.
    static func bundle(_ event: PlatformEvent, lead: JSON?) -> JSON {
        var fields = (try? JSON.parse(Data(event.payload.utf8)))?.objectValue ?? [:]
        fields["event"] = .string(event.kind)
        fields["event_id"] = .string(event.id)
        fields["occurred_at"] = .string(IMLDates.iso(event.createdAt))
        if let lead { fields["lead"] = lead }
        return .object(fields)
    }
}
