import Foundation
import LeadgenCore
import Storage

/// Fuzzy de-duplication of a workspace's leads: record linkage over every lead, the pairs it finds put in
/// the review queue, and those above a threshold merged, one cluster of records (one person) at a time.
///
/// Pairs a person marked "not a duplicate" are never proposed again, and never joined through a chain of
/// other pairs. In a cluster the lead created first survives (it is the one CRMs and sequences have known
/// longest); each other lead is merged into it.
public struct LeadDeduplication: Sendable {
    let leads: LeadStore
    let merges: LeadMergeStore
    let pairs: DuplicatePairStore

    public init(leads: LeadStore, merges: LeadMergeStore, pairs: DuplicatePairStore) {
        self.leads = leads
        self.merges = merges
        self.pairs = pairs
    }

    /// A scan's findings.
    public struct Scan: Sendable {
        public var table: LinkageTable
        /// Each lead's creation time, by row of `table`.
        public var createdAt: [Date]
        /// Pairs at or above the asked probability, "not a duplicate" pairs left out, most probable first.
        public var pairs: [RecordLinkage.Pair]
        public var candidates: Int
        public var apart: Set<LinkageClusters.Apart>

        /// The pair as the review queue keeps it.
        public func found(_ pair: RecordLinkage.Pair) -> DuplicatePairStore.Found {
            DuplicatePairStore.Found(
                LeadID(rawValue: table.ids[pair.a]), LeadID(rawValue: table.ids[pair.b]),
                probability: pair.probability, agreed: pair.vector.agreements(table.fields))
        }
    }

    /// What `merge` did.
    public struct MergeSummary: Sendable, Equatable {
        public var clusters = 0
        public var merged = 0
        /// Leads of a cluster that were gone by the time their turn came (deleted, or merged elsewhere).
        public var skipped = 0
    }

    /// Compares every lead of the workspace (up to `LinkageTable.maxRecords`) and returns the pairs at or
    /// above `minProbability`; with `record`, puts them in the review queue.
    public func scan(
        _ workspace: WorkspaceID, minProbability: Double, threshold: Double = LeadLinkage.defaultThreshold,
        record: Bool
    ) async throws -> Scan {
        let (table, createdAt) = try await self.table(workspace)
        let linkage = RecordLinkage(settings: try LeadLinkage.settings(threshold: threshold))
        let result = linkage.link(table, minimumProbability: minProbability)
        var row: [String: Int] = [:]
        for (index, id) in table.ids.enumerated() { row[id] = index }
        var apart: Set<LinkageClusters.Apart> = []
        for key in try await pairs.distinct(in: workspace) {
            if let a = row[key.a.rawValue], let b = row[key.b.rawValue] { apart.insert(LinkageClusters.Apart(a, b)) }
        }
        let kept = result.pairs.filter { !apart.contains(LinkageClusters.Apart($0.a, $0.b)) }
            .sorted { ($0.probability, $1.a, $1.b) > ($1.probability, $0.a, $0.b) }
        let scan = Scan(
            table: table, createdAt: createdAt, pairs: kept, candidates: result.candidates, apart: apart)
        if record { try await pairs.record(kept.map(scan.found), in: workspace) }
        return scan
    }

    /// Merges every cluster joined by pairs at or above `minProbability`, reporting after each merge how
    /// many of how many are done.
    public func merge(
        _ workspace: WorkspaceID, minProbability: Double, actor: String?,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> MergeSummary {
        let scan = try await scan(workspace, minProbability: minProbability, record: false)
        return try await merge(scan, workspace, minProbability: minProbability, actor: actor, progress: progress)
    }

    /// Merges the clusters of a scan.
    public func merge(
        _ scan: Scan, _ workspace: WorkspaceID, minProbability: Double, actor: String?,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> MergeSummary {
        let clusters = LinkageClusters.build(
            count: scan.table.count, pairs: scan.pairs, threshold: minProbability, apart: scan.apart)
        var strongest: [LinkageClusters.Apart: Double] = [:]
        for pair in scan.pairs { strongest[LinkageClusters.Apart(pair.a, pair.b)] = pair.probability }
        var summary = MergeSummary(clusters: clusters.count)
        let total = clusters.reduce(0) { $0 + $1.count - 1 }
        var done = 0
        for cluster in clusters {
            let ordered = cluster.sorted {
                (scan.createdAt[$0], scan.table.ids[$0]) < (scan.createdAt[$1], scan.table.ids[$1])
            }
            let survivor = LeadID(rawValue: scan.table.ids[ordered[0]])
            for member in ordered.dropFirst() {
                // The best pair that ties this lead to its cluster, for the record.
                let probability = cluster.compactMap { strongest[LinkageClusters.Apart($0, member)] }.max()
                do {
                    try await merges.merge(
                        LeadID(rawValue: scan.table.ids[member]), into: survivor, in: workspace,
                        probability: probability, actor: actor)
                    summary.merged += 1
                } catch let failure as LeadMergeStore.Failure {
                    guard case .noSuchLead = failure else { throw failure }
                    summary.skipped += 1
                }
                done += 1
                progress(done, total)
            }
        }
        return summary
    }

    /// Merges the two leads of a pair a person accepted: the one created first survives.
    @discardableResult
    public func mergePair(
        _ x: LeadID, _ y: LeadID, in workspace: WorkspaceID, probability: Double?, actor: String?
    ) async throws -> LeadMerge {
        guard let first = try await leads.get(x, in: workspace) else { throw LeadMergeStore.Failure.noSuchLead(x) }
        guard let second = try await leads.get(y, in: workspace) else { throw LeadMergeStore.Failure.noSuchLead(y) }
        let (survivor, absorbed) =
            (first.createdAt, first.id.rawValue) <= (second.createdAt, second.id.rawValue)
            ? (first.id, second.id) : (second.id, first.id)
        return try await merges.merge(absorbed, into: survivor, in: workspace, probability: probability, actor: actor)
    }

    /// Merges the review queue's open pairs at or above `minProbability` (a bulk accept): grouped as
    /// `merge` groups a scan's pairs, "not a duplicate" pairs kept apart.
    public func mergeQueued(
        _ workspace: WorkspaceID, minProbability: Double, actor: String?
    ) async throws -> MergeSummary {
        let queued = try await pairs.pairs(.open, in: workspace, minProbability: minProbability, limit: 10_000)
        var row: [LeadID: Int] = [:]
        var ids: [LeadID] = []
        func index(_ id: LeadID) -> Int {
            if let known = row[id] { return known }
            row[id] = ids.count
            ids.append(id)
            return ids.count - 1
        }
        let linked = queued.map {
            RecordLinkage.Pair(a: index($0.a), b: index($0.b), probability: $0.probability, vector: ComparisonVector())
        }
        var table = LinkageTable(fields: LeadLinkage.fields)
        var createdAt: [Date] = []
        for id in ids {
            table.append(id: id.rawValue, values: [])
            createdAt.append(try await leads.get(id, in: workspace)?.createdAt ?? .distantFuture)
        }
        var apart: Set<LinkageClusters.Apart> = []
        for key in try await pairs.distinct(in: workspace) {
            if let a = row[key.a], let b = row[key.b] { apart.insert(LinkageClusters.Apart(a, b)) }
        }
        let scan = Scan(table: table, createdAt: createdAt, pairs: linked, candidates: linked.count, apart: apart)
        return try await merge(scan, workspace, minProbability: minProbability, actor: actor)
    }

    /// Every lead of the workspace, with its company's domain, and when each was created.
    func table(_ workspace: WorkspaceID) async throws -> (LinkageTable, [Date]) {
        var table = LinkageTable(fields: LeadLinkage.fields)
        var createdAt: [Date] = []
        var query = LeadQuery()
        query.descending = false
        query.limit = 1000
        repeat {
            let page = try await leads.list(query, in: workspace)
            for lead in page.leads {
                let domain = lead.companyID.flatMap { page.companies[$0] }?.fields.domain?.value
                table.append(id: lead.id.rawValue, values: LeadLinkage.values(lead.fields, companyDomain: domain))
                createdAt.append(lead.createdAt)
            }
            query.cursor = page.nextCursor
        } while query.cursor != nil && table.count < LinkageTable.maxRecords
        return (table, createdAt)
    }
}
