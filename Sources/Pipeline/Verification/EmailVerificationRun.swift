import Foundation
import LeadgenCore
import Providers
import Storage

/// Verifies the primary e-mail of a workspace's leads: each address once per run, an address verified in
/// the last `freshFor` skipped unless asked to refresh (an `unknown` one after `unknownFreshFor`, so a
/// greylisted address is tried again the next run after an hour), every result stored as it comes.
public struct EmailVerificationRun: Sendable {
    public struct Selection: Sendable, Equatable {
        public var status: LeadStatus?
        public var tag: String?
        /// At most this many leads (1 to 1,000,000).
        public var limit: Int?
        /// Checks addresses again even when a fresh result is stored.
        public var refresh = false
        /// Asks the mail servers about each mailbox (the SMTP probe), when it is configured.
        public var probe = false

        public init(
            status: LeadStatus? = nil, tag: String? = nil, limit: Int? = nil, refresh: Bool = false, probe: Bool = false
        ) {
            self.status = status
            self.tag = tag
            self.limit = limit
            self.refresh = refresh
            self.probe = probe
        }
    }

    public struct Summary: Sendable, Equatable {
        /// Addresses checked now.
        public var checked = 0
        /// Addresses whose stored result was fresh enough.
        public var cached = 0
        public var outcomes: [EmailVerification.Outcome: Int] = [:]
    }

    /// The most leads one run looks at.
    public static let maxLeads = 1_000_000

    let leads: LeadStore
    let store: EmailVerificationStore
    let verifier: EmailVerifier
    let probingVerifier: EmailVerifier?
    let time: TimeSource
    let freshFor: TimeInterval
    /// An `unknown` result (DNS failed, greylisted, not probed) is worth less: it is checked again sooner.
    let unknownFreshFor: TimeInterval

    public init(
        leads: LeadStore, store: EmailVerificationStore, verifier: EmailVerifier, probingVerifier: EmailVerifier? = nil,
        time: TimeSource, freshFor: TimeInterval = 30 * 86_400, unknownFreshFor: TimeInterval = 3_600
    ) {
        self.leads = leads
        self.store = store
        self.verifier = verifier
        self.probingVerifier = probingVerifier
        self.time = time
        self.freshFor = freshFor
        self.unknownFreshFor = unknownFreshFor
    }

    /// Verifies one address (a scenario's module asks this way): the stored result while it is fresh, else a
    /// new check, stored. Says whether the result came from the store.
    public func verify(_ email: String, in workspace: WorkspaceID, probe: Bool, refresh: Bool = false) async throws
        -> (StoredEmailVerification, cached: Bool)
    {
        if !refresh, let known = try await store.find([email], in: workspace)[email], isFresh(known) {
            return (known, true)
        }
        let verifier = probe ? probingVerifier ?? self.verifier : self.verifier
        let verification = await verifier.verify(email)
        try await store.save(verification, for: email, in: workspace)
        return (StoredEmailVerification(email: email, verification: verification, checkedAt: time.now()), false)
    }

    /// Whether a stored result is recent enough to stand: an `unknown` one for `unknownFreshFor`, the others
    /// for `freshFor`.
    func isFresh(_ known: StoredEmailVerification) -> Bool {
        time.now().timeIntervalSince(known.checkedAt)
            < (known.verification.outcome == .unknown ? unknownFreshFor : freshFor)
    }

    /// Runs over the selected leads, calling `progress` after each page with the summary so far.
    public func run(
        in workspace: WorkspaceID, selection: Selection, progress: @Sendable (Summary) -> Void = { _ in }
    ) async throws -> Summary {
        var query = LeadQuery()
        query.status = selection.status
        query.tag = selection.tag
        query.descending = false
        let limit = min(max(selection.limit ?? Self.maxLeads, 1), Self.maxLeads)
        let verifier = selection.probe ? probingVerifier ?? self.verifier : self.verifier
        var summary = Summary()
        var seen = Set<String>()
        var looked = 0
        repeat {
            query.limit = min(500, limit - looked)
            let page = try await leads.list(query, in: workspace)
            looked += page.leads.count
            let emails = page.leads.compactMap { $0.fields.email?.value }.filter { seen.insert($0).inserted }
            let stored = selection.refresh ? [:] : try await store.find(emails, in: workspace)
            for email in emails {
                if let known = stored[email], isFresh(known) {
                    summary.cached += 1
                    summary.outcomes[known.verification.outcome, default: 0] += 1
                    continue
                }
                let verification = await verifier.verify(email)
                try await store.save(verification, for: email, in: workspace)
                summary.checked += 1
                summary.outcomes[verification.outcome, default: 0] += 1
            }
            progress(summary)
            query.cursor = page.nextCursor
        } while query.cursor != nil && looked < limit
        return summary
    }
}
