import Foundation
import LeadgenCore
import Logging
import Storage

/// Enriches one batch of leads through the run's providers in order (a waterfall), stopping for each lead
/// at the first verified e-mail, and merges what was found into the leads (provenance: the provider).
///
/// Nothing is paid for twice:
/// - a fresh cached answer for the same lookup is used instead of a call;
/// - credits are reserved from the run's budget before a call and the call is recorded as in flight;
/// - the answers, the charge and the batch's progress are committed together right after the call;
/// - a retry that finds a call in flight with no recorded answer does not call again: the outcome is
///   unknown (the provider may have charged), so those leads are reported as interrupted, and a later run
///   takes them again.
public struct EnrichmentBatchJob: JobHandler {
    public static let kind = "enrich_batch"

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public var seq: Int
    }

    let store: EnrichmentStore
    let leads: LeadStore
    let companies: CompanyStore
    let ingestor: LeadIngestor
    /// Where mobile numbers asked for and still to come are recorded.
    let phoneReveals: PhoneRevealStore
    /// The providers of a run, by name.
    let providers: @Sendable (String, EnrichmentRun) async throws -> any EnrichmentProvider
    /// How long a cached answer stands in for a call.
    let cacheTTL: TimeInterval
    /// How long a batch waits for other batches' reservations to settle when the budget looks spent.
    let reservationWait: Duration
    let logger: Logger

    public init(
        store: EnrichmentStore, leads: LeadStore, companies: CompanyStore, ingestor: LeadIngestor,
        phoneReveals: PhoneRevealStore,
        providers: @escaping @Sendable (String, EnrichmentRun) async throws -> any EnrichmentProvider,
        cacheTTL: TimeInterval, reservationWait: Duration = .seconds(120), logger: Logger
    ) {
        self.store = store
        self.leads = leads
        self.companies = companies
        self.ingestor = ingestor
        self.phoneReveals = phoneReveals
        self.providers = providers
        self.cacheTTL = cacheTTL
        self.reservationWait = reservationWait
        self.logger = logger
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        try await process(runID: arguments.runID, seq: arguments.seq)
    }

    /// Enriches the batch `seq` of the run; a batch already done is left alone.
    func process(runID: String, seq: Int) async throws {
        guard var batch = try await store.batch(runID, seq: seq), batch.state != .done,
            let run = try await store.run(runID)
        else { return }
        let workspace = batch.workspaceID
        let stored = try await leads.get(batch.leadIDs, in: workspace)
        if run.status == .failed {
            let outcomes = stored.map {
                EnrichmentOutcome(leadID: $0.id, kind: .failed, detail: run.error ?? "the run failed")
            }
            return try await store.finish(batch, outcomes: outcomes)
        }
        let chain: [any EnrichmentProvider]
        do {
            chain = try await run.providers.asyncMap { try await providers($0, run) }
        } catch {
            try await store.failRun(run.id, error: "\(error)")
            let outcomes = stored.map { EnrichmentOutcome(leadID: $0.id, kind: .failed, detail: "\(error)") }
            return try await store.finish(batch, outcomes: outcomes)
        }
        let companyOf = try await companies.get(Set(stored.compactMap(\.companyID)), in: workspace)

        var pending = stored
        var outcomes: [LeadID: EnrichmentOutcome] = [:]
        var found: [LeadID: (input: LeadInput, provider: String)] = [:]
        var allowed: Set<LeadID>?
        for (step, provider) in chain.enumerated() {
            let isLast = step == chain.count - 1
            var subjects: [EnrichmentSubject] = []
            for lead in pending {
                let company = lead.companyID.flatMap { companyOf[$0] }
                if let key = provider.lookupKey(for: lead, company: company) {
                    subjects.append(EnrichmentSubject(lead: lead, company: company, key: key))
                } else if isLast, found[lead.id] == nil {
                    outcomes[lead.id] = EnrichmentOutcome(
                        leadID: lead.id, kind: .notFound, provider: provider.name,
                        detail: "nothing to look the person up by")
                }
            }
            let cached = try await store.cachedAnswers(
                workspace: workspace, provider: provider.name, keys: subjects.map(\.key), maxAge: cacheTTL)
            var answers: [LeadID: (answer: String, fromCache: Bool)] = [:]
            var toCall: [EnrichmentSubject] = []
            for subject in subjects {
                if let answer = cached[subject.key] {
                    answers[subject.lead.id] = (answer, true)
                } else {
                    toCall.append(subject)
                }
            }
            if allowed == nil {
                allowed = try await reserve(toCall, chain: chain, batch: batch, outcomes: &outcomes)
            }
            toCall = toCall.filter { allowed!.contains($0.lead.id) }
            if batch.state == .calling, batch.callingProvider == provider.name {
                // A previous attempt sent this call and left no answer: it may have been charged.
                for subject in toCall {
                    outcomes[subject.lead.id] = EnrichmentOutcome(
                        leadID: subject.lead.id, kind: .interrupted, provider: provider.name,
                        detail: "the call to \(provider.name) was cut off; not repeated so as not to pay twice")
                }
                toCall = []
            }
            for chunk in stride(from: 0, to: toCall.count, by: provider.batchSize).map({
                Array(toCall[$0..<min(toCall.count, $0 + provider.batchSize)])
            }) {
                try await store.setState(batch.runID, seq: batch.seq, .calling, provider: provider.name)
                batch.state = .calling
                batch.callingProvider = provider.name
                let result: Result<EnrichmentAnswers, EnrichmentCallError>
                do { result = .success(try await provider.enrich(chunk)) } catch { result = .failure(error) }
                switch result {
                case .success(let answered):
                    try await store.recordAnswers(
                        batch, provider: provider.name,
                        answers: zip(chunk, answered.answers).map { (key: $0.key, response: $1) },
                        charged: answered.credits)
                    batch.state = .answered
                    try await phoneReveals.record(answered.phoneRequests, runID: run.id, workspace: workspace)
                    for (subject, answer) in zip(chunk, answered.answers) { answers[subject.lead.id] = (answer, false) }
                case .failure(.transient(let message, let retryAfter)):
                    // The provider did not act on the call: ask again later, holding the reservation.
                    try await store.setState(batch.runID, seq: batch.seq, .pending)
                    throw RetryLater(message, after: retryAfter)
                case .failure(.outcomeUnknown(let message)):
                    for subject in chunk {
                        outcomes[subject.lead.id] = EnrichmentOutcome(
                            leadID: subject.lead.id, kind: .interrupted, provider: provider.name, detail: message)
                    }
                case .failure(.rejected(let message, let fatal)):
                    try await store.setState(batch.runID, seq: batch.seq, .answered)
                    if fatal { try await store.failRun(run.id, error: message) }
                    for subject in chunk {
                        outcomes[subject.lead.id] = EnrichmentOutcome(
                            leadID: subject.lead.id, kind: .failed, provider: provider.name, detail: message)
                    }
                }
            }
            var stillPending: [Lead] = []
            for lead in pending where outcomes[lead.id] == nil {
                guard let (answer, fromCache) = answers[lead.id] else {
                    if isLast, found[lead.id] == nil, outcomes[lead.id] == nil {
                        outcomes[lead.id] = EnrichmentOutcome(leadID: lead.id, kind: .notFound, provider: provider.name)
                    }
                    continue
                }
                let input: LeadInput?
                do {
                    input = try provider.leadInput(fromAnswer: answer)
                } catch {
                    outcomes[lead.id] = EnrichmentOutcome(
                        leadID: lead.id, kind: .failed, provider: provider.name, detail: "unreadable answer: \(error)")
                    continue
                }
                if let input {
                    found[lead.id] = (input, provider.name)
                    if input.fields.emailStatus == .verified || isLast {
                        outcomes[lead.id] = EnrichmentOutcome(
                            leadID: lead.id, kind: .enriched, fromCache: fromCache, provider: provider.name)
                        continue
                    }
                } else if isLast {
                    outcomes[lead.id] =
                        found[lead.id] == nil
                        ? EnrichmentOutcome(
                            leadID: lead.id, kind: .notFound, fromCache: fromCache, provider: provider.name)
                        : EnrichmentOutcome(leadID: lead.id, kind: .enriched, provider: found[lead.id]!.provider)
                    continue
                }
                stillPending.append(lead)
            }
            pending = stillPending
        }
        try await merge(found, into: stored, workspace: workspace, runID: run.id)
        try await store.finish(batch, outcomes: stored.compactMap { outcomes[$0.id] })
    }

    /// Reserves the worst-case cost of the leads that need a call; those the budget cannot cover are
    /// reported as over budget. Returns the leads that may be asked about.
    private func reserve(
        _ toCall: [EnrichmentSubject], chain: [any EnrichmentProvider], batch: EnrichmentBatch,
        outcomes: inout [LeadID: EnrichmentOutcome]
    ) async throws -> Set<LeadID> {
        guard !toCall.isEmpty else { return [] }
        let perLead = chain.reduce(0) { $0 + $1.maxCreditsPerPerson }
        guard perLead > 0 else { return Set(toCall.map(\.lead.id)) }
        // While other batches hold reservations, wait for them to settle (a person not found costs nothing)
        // before leaving leads out; a batch never waits for more than `reservationWait`.
        var reservation = try await store.reserve(
            batch.runID, seq: batch.seq, wanted: perLead * Double(toCall.count), unit: perLead)
        let deadline = ContinuousClock.now + reservationWait
        while reservation.granted == 0, reservation.othersHolding, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            reservation = try await store.reserve(
                batch.runID, seq: batch.seq, wanted: perLead * Double(toCall.count), unit: perLead)
        }
        let granted = reservation.granted
        let count = min(toCall.count, Int((granted / perLead).rounded(.down)))
        for subject in toCall.dropFirst(count) {
            outcomes[subject.lead.id] = EnrichmentOutcome(
                leadID: subject.lead.id, kind: .overBudget, detail: "the run's credit budget is spent")
        }
        return Set(toCall.prefix(count).map(\.lead.id))
    }

    /// Merges what the providers found into the leads with the lead store's rules. A found person who shares
    /// no identity with the lead asked about (it was matched by name and company) first gets the provider's
    /// id, so the merge lands on that lead and creates no one new.
    private func merge(
        _ found: [LeadID: (input: LeadInput, provider: String)], into stored: [Lead], workspace: WorkspaceID,
        runID: String
    ) async throws {
        var items: [IngestItem] = []
        for lead in stored {
            guard let (record, provider) = found[lead.id] else { continue }
            var input = record
            let strongKeys = Set(lead.fields.matchKeys.filter { $0.kind != .phoneAndLastName })
            if strongKeys.isDisjoint(with: input.fields.matchKeys), lead.fields.apolloPersonID == nil,
                let personID = input.fields.apolloPersonID
            {
                do {
                    _ = try await leads.update(lead.id, in: workspace, actor: provider) {
                        $0.fields.apolloPersonID = personID
                    }
                } catch {
                    logger.warning(
                        "enrichment: the person already belongs to another lead",
                        metadata: ["lead": "\(lead.id)", "error": "\(error)"])
                }
            }
            if lead.status == .new { input.status = .enriched }
            items.append(
                IngestItem(
                    input: input,
                    source: LeadSourceRef(kind: provider, reference: runID, locator: input.fields.apolloPersonID)))
        }
        guard !items.isEmpty else { return }
        _ = try await ingestor.ingest(items, into: workspace, actor: found.values.first?.provider)
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
