import Crypto
import Foundation
import LeadgenCore
import Logging
import Outreach
import SQLKit
import Storage

/// Moves enrolments along their sequences: takes the due ones in batches, runs each to its next stopping
/// point (a message sent, a wait, a closed window, a sender at its limits, a task for a person) several at
/// a time, and goes on until none is due. Every send goes through the message ledger (`MessageStore`), keyed
/// by enrolment and step. Only one dispatcher runs at a time (its job has one unique key), so the sending
/// limits it counts in memory are exact, and a message it finds `sending` was left by one that died.
public struct OutreachDispatcher: Sendable {
    public struct Options: Sendable {
        /// Enrolments taken per batch, and worked on at the same time.
        public var batchSize = 500
        public var concurrency = 32
        /// How long taken enrolments are held: a dispatcher that dies lets them come back after this.
        public var hold: TimeInterval = 300
        /// At least this long between two messages to the same recipient domain (0: no pacing).
        public var domainInterval: TimeInterval = 20
        /// The zone of leads whose own cannot be told.
        public var workspaceTimeZone = TimeZone(identifier: "UTC")!
        /// Where the one-click unsubscribe endpoint is served (`LEADGEN_PUBLIC_URL`); e-mails cannot go without.
        public var publicURL: URL?
        /// `LEADGEN_MASTER_KEY`, from which the unsubscribe links' signing key is derived.
        public var masterKey: String?

        public init() {}
    }

    /// What one run did.
    public struct Report: Sendable, Equatable {
        public var advanced = 0
        public var sent = 0
        public var unknown = 0
        public var failed = 0
        public var deferred = 0
        /// Messages found `sending` from a run that died, now unknown.
        public var abandoned = 0
    }

    let database: LeadgenDatabase
    let enrollments: EnrollmentStore
    let messages: MessageStore
    let sequences: SequenceStore
    let leads: LeadStore
    let companies: CompanyStore
    let suppressions: SuppressionStore
    let senders: SenderStore
    let registry: ProviderRegistry?
    let transport: any MessageTransport
    let options: Options
    let ids: IDGenerator
    let time: TimeSource
    let logger: Logger
    /// Counts what came of each message handed to a vendor.
    public let metrics: SendMetrics

    /// The stores a dispatcher reads and writes.
    public struct Stores: Sendable {
        public var enrollments: EnrollmentStore
        public var messages: MessageStore
        public var sequences: SequenceStore
        public var leads: LeadStore
        public var companies: CompanyStore
        public var suppressions: SuppressionStore
        public var senders: SenderStore

        public init(
            enrollments: EnrollmentStore, messages: MessageStore, sequences: SequenceStore, leads: LeadStore,
            companies: CompanyStore, suppressions: SuppressionStore, senders: SenderStore
        ) {
            self.enrollments = enrollments
            self.messages = messages
            self.sequences = sequences
            self.leads = leads
            self.companies = companies
            self.suppressions = suppressions
            self.senders = senders
        }
    }

    public init(
        database: LeadgenDatabase, stores: Stores, registry: ProviderRegistry?, transport: any MessageTransport,
        options: Options, ids: IDGenerator, time: TimeSource, logger: Logger, metrics: SendMetrics = SendMetrics()
    ) {
        self.database = database
        enrollments = stores.enrollments
        messages = stores.messages
        sequences = stores.sequences
        leads = stores.leads
        companies = stores.companies
        suppressions = stores.suppressions
        senders = stores.senders
        self.registry = registry
        self.transport = transport
        self.options = options
        self.ids = ids
        self.time = time
        self.logger = logger
        self.metrics = metrics
    }

    /// Runs until no enrolment is due.
    @discardableResult
    public func run() async throws -> Report {
        var report = Report()
        report.abandoned = try await messages.settleAbandoned(olderThan: time.now().addingTimeInterval(1))
        try await enrollments.releaseAbandonedClaims()
        let budget = SendBudget(domainInterval: options.domainInterval)
        let cache = SequenceCache(store: sequences)
        let settlements = SettlementQueue(store: messages)
        while true {
            let due = try await enrollments.claimDue(
                limit: options.batchSize, holdUntil: time.now().addingTimeInterval(options.hold))
            guard !due.isEmpty else { break }
            let batch = try await DispatchBatch.load(due, leads: leads, companies: companies)
            for workspace in Set(due.compactMap(\.workspaceID)) where !budget.isLoaded(workspace) {
                try await loadSenders(workspace, into: budget)
            }
            try await loadDomains(of: batch, into: budget)
            let advancer = EnrollmentAdvancer(
                dispatcher: self, budget: budget, sequences: cache, batch: batch, settlements: settlements,
                unsubscribeKey: options.masterKey.map {
                    Data(UnsubscribeToken.key(masterKey: $0).withUnsafeBytes { Data($0) })
                })
            let outcomes = try await withThrowingTaskGroup(of: EnrollmentAdvancer.Outcome.self) { group in
                var outcomes: [EnrollmentAdvancer.Outcome] = []
                var iterator = due.makeIterator()
                for _ in 0..<min(options.concurrency, due.count) {
                    if let next = iterator.next() { group.addTask { await advancer.advance(next) } }
                }
                while let outcome = try await group.next() {
                    outcomes.append(outcome)
                    if let next = iterator.next() { group.addTask { await advancer.advance(next) } }
                }
                return outcomes
            }
            for outcome in outcomes {
                report.advanced += 1
                switch outcome {
                case .sent: report.sent += 1
                case .unknown: report.unknown += 1
                case .failed: report.failed += 1
                case .deferred: report.deferred += 1
                case .moved: break
                }
            }
        }
        return report
    }

    /// The workspace's senders and what they sent in the last 24 hours; an SMS sender from `TWILIO_FROM` when
    /// the workspace has none of its own.
    func loadSenders(_ workspace: WorkspaceID, into budget: SendBudget) async throws {
        var list = try await senders.list(in: workspace)
        if !list.contains(where: { $0.channel == .sms }), let registry,
            let from = try? await registry.twilio(for: workspace).from
        {
            list.append(
                OutreachSender(id: "env:twilio", channel: .sms, provider: "twilio", address: from, name: ""))
        }
        let limited = list.filter { $0.hourlyLimit != nil || $0.dailyLimit != nil || $0.minIntervalSeconds > 0 }
        var recent: [String: [Date]] = [:]
        var last: [String: Date] = [:]
        if !limited.isEmpty {
            let since = time.now().addingTimeInterval(-86400)
            for row in try await database.sql.raw(
                """
                SELECT sender_id, created_at FROM messages
                WHERE sender_id IN (\(binds: limited.map(\.id))) AND created_at > \(bind: since)
                    AND status IN ('sending', 'sent', 'unknown')
                """
            ).all() {
                let sender: String = try row.decode(column: "sender_id")
                let at: Date = try row.decode(column: "created_at")
                recent[sender, default: []].append(at)
                last[sender] = max(last[sender] ?? .distantPast, at)
            }
        }
        budget.load(workspace, senders: list, recent: recent, last: last)
    }

    /// When the last message to each recipient domain of the batch went, for their pacing: one query per
    /// workspace and batch, for the domains not seen yet in this run.
    func loadDomains(of batch: DispatchBatch, into budget: SendBudget) async throws {
        guard options.domainInterval > 0 else { return }
        let byWorkspace = Dictionary(grouping: batch.leads.values, by: \.workspaceID)
        for (workspace, leads) in byWorkspace {
            let domains = Set(leads.compactMap { $0.fields.email.map { String($0.domain).lowercased() } })
                .filter { budget.needsDomain(workspace, $0) }
            guard !domains.isEmpty else { continue }
            var last: [String: Date] = [:]
            for row in try await database.sql.raw(
                """
                SELECT recipient_domain, MAX(created_at) AS at FROM messages
                WHERE workspace_id = \(bind: workspace.rawValue) AND recipient_domain IN (\(binds: Array(domains)))
                GROUP BY recipient_domain
                """
            ).all() {
                last[try row.decode(column: "recipient_domain")] = try row.decode(column: "at", as: Date?.self)
            }
            for domain in domains { budget.loadDomain(workspace, domain, lastSend: last[domain]) }
        }
    }
}

/// The leads and companies of one batch of enrolments, read at once.
struct DispatchBatch: Sendable {
    var leads: [LeadID: Lead]
    var companies: [CompanyID: Company]

    static func load(_ due: [Enrollment], leads: LeadStore, companies: CompanyStore) async throws -> DispatchBatch {
        var byLead: [LeadID: Lead] = [:]
        var byCompany: [CompanyID: Company] = [:]
        let grouped = Dictionary(grouping: due) { $0.workspaceID ?? WorkspaceID(rawValue: "") }
        for (workspace, enrollments) in grouped {
            let found = try await leads.get(enrollments.map(\.leadID), in: workspace)
            for lead in found { byLead[lead.id] = lead }
            let companyIDs = Set(found.compactMap(\.companyID))
            if !companyIDs.isEmpty {
                byCompany.merge(try await companies.get(companyIDs, in: workspace)) { $1 }
            }
        }
        return DispatchBatch(leads: byLead, companies: byCompany)
    }
}

/// Sequences read once per run, parsed.
actor SequenceCache {
    let store: SequenceStore
    var parsed: [String: (StoredSequence, SequenceDefinition)?] = [:]

    init(store: SequenceStore) { self.store = store }

    func get(_ id: String, in workspace: WorkspaceID) async -> (StoredSequence, SequenceDefinition)? {
        if let cached = parsed[id] { return cached }
        let stored = try? await store.get(id, in: workspace)
        let entry = stored.flatMap { stored in
            (try? SequenceDefinition(json: Data(stored.definition.utf8))).map { (stored, $0) }
        }
        parsed[id] = entry
        return entry
    }
}
