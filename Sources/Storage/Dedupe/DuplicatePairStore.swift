import Foundation
import LeadgenCore
import SQLKit

/// Two leads found alike, and what became of the pair.
public struct DuplicatePair: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Waiting for review.
        case open
        case merged
        /// A person said these are two people: never proposed again.
        case distinct
    }

    /// The pair's leads, `a` < `b`.
    public var a: LeadID
    public var b: LeadID
    public var probability: Double
    /// The fields that agreed.
    public var agreed: [String]
    public var state: State
    public var foundAt: Date
    public var decidedAt: Date?
    public var decidedBy: String?

    /// The two ids in the pair's order.
    public static func ordered(_ x: LeadID, _ y: LeadID) -> (LeadID, LeadID) {
        x.rawValue < y.rawValue ? (x, y) : (y, x)
    }

    /// Two leads, whichever order they are given in.
    public struct Key: Hashable, Sendable {
        public let a: LeadID
        public let b: LeadID

        public init(_ x: LeadID, _ y: LeadID) { (a, b) = DuplicatePair.ordered(x, y) }
    }
}

/// The pairs a de-duplication scan found, and the decisions about them: the review queue, and the memory
/// of "not a duplicate".
public struct DuplicatePairStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// A pair as a scan proposes it.
    public struct Found: Sendable, Equatable {
        public var a: LeadID
        public var b: LeadID
        public var probability: Double
        public var agreed: [String]

        public init(_ x: LeadID, _ y: LeadID, probability: Double, agreed: [String]) {
            (a, b) = DuplicatePair.ordered(x, y)
            self.probability = probability
            self.agreed = agreed
        }
    }

    /// Adds found pairs to the review queue, or refreshes the probability of those still open. A pair
    /// already decided keeps its decision.
    public func record(_ pairs: [Found], in workspace: WorkspaceID) async throws {
        let now = time.now()
        for chunk in pairs.chunked(200) {
            try await database.transaction { db in
                let insert = db.insert(into: "duplicate_pairs")
                    .columns("workspace_id", "lead_a", "lead_b", "probability", "agreed", "state", "found_at")
                for pair in chunk {
                    insert.values(
                        SQLBind(workspace.rawValue), SQLBind(pair.a.rawValue), SQLBind(pair.b.rawValue),
                        SQLBind(pair.probability), SQLBind(JSONText.encode(pair.agreed)),
                        SQLBind(DuplicatePair.State.open.rawValue), SQLBind(now))
                }
                try await insert.onConflict(with: ["workspace_id", "lead_a", "lead_b"]) { update in
                    update.set(excludedValueOf: "probability").set(excludedValueOf: "agreed")
                }.run()
            }
        }
    }

    /// The pairs in `state`, most probable first.
    public func pairs(
        _ state: DuplicatePair.State, in workspace: WorkspaceID, minProbability: Double = 0, limit: Int = 100
    ) async throws -> [DuplicatePair] {
        try await database.sql.raw(
            """
            SELECT lead_a, lead_b, probability, agreed, state, found_at, decided_at, decided_by FROM duplicate_pairs
            WHERE workspace_id = \(bind: workspace.rawValue) AND state = \(bind: state.rawValue)
                AND probability >= \(bind: minProbability)
            ORDER BY probability DESC, lead_a, lead_b LIMIT \(bind: max(0, min(limit, 10_000)))
            """
        ).all().map(Self.pair)
    }

    /// The pairs a person said are two people, to leave out of every scan.
    public func distinct(in workspace: WorkspaceID) async throws -> Set<DuplicatePair.Key> {
        Set(
            try await database.sql.raw(
                """
                SELECT lead_a, lead_b FROM duplicate_pairs
                WHERE workspace_id = \(bind: workspace.rawValue) AND state = 'distinct'
                """
            ).all().map {
                DuplicatePair.Key(
                    LeadID(rawValue: try $0.decode(column: "lead_a", as: String.self)),
                    LeadID(rawValue: try $0.decode(column: "lead_b", as: String.self)))
            })
    }

    /// Remembers that `x` and `y` are two people.
    public func markDistinct(_ x: LeadID, _ y: LeadID, in workspace: WorkspaceID, actor: String?) async throws {
        let now = time.now()
        try await database.transaction { db in
            try await Self.decide(x, y, state: .distinct, in: workspace, actor: actor, at: now, db: db)
        }
    }

    static func decide(
        _ x: LeadID, _ y: LeadID, state: DuplicatePair.State, in workspace: WorkspaceID, actor: String?, at now: Date,
        db: any SQLDatabase
    ) async throws {
        let (a, b) = DuplicatePair.ordered(x, y)
        try await db.insert(into: "duplicate_pairs")
            .columns(
                "workspace_id", "lead_a", "lead_b", "probability", "agreed", "state", "found_at", "decided_at",
                "decided_by"
            )
            .values(
                SQLBind(workspace.rawValue), SQLBind(a.rawValue), SQLBind(b.rawValue), SQLBind(0.0), SQLBind("[]"),
                SQLBind(state.rawValue), SQLBind(now), SQLBind(now), SQLValue.of(actor)
            )
            .onConflict(with: ["workspace_id", "lead_a", "lead_b"]) { update in
                update.set(excludedValueOf: "state").set(excludedValueOf: "decided_at")
                    .set(excludedValueOf: "decided_by")
            }.run()
    }

    /// After `absorbed` merged into `survivor`: their pair is merged; what was said about the absorbed lead
    /// ("not the same as X") now holds for the survivor; its open pairs go, the next scan proposes afresh.
    static func afterMerge(
        _ absorbed: LeadID, into survivor: LeadID, in workspace: WorkspaceID, actor: String?, at now: Date,
        db: any SQLDatabase
    ) async throws {
        try await decide(absorbed, survivor, state: .merged, in: workspace, actor: actor, at: now, db: db)
        let others = try await db.raw(
            """
            SELECT lead_a, lead_b FROM duplicate_pairs
            WHERE workspace_id = \(bind: workspace.rawValue) AND state = 'distinct'
                AND (lead_a = \(bind: absorbed.rawValue) OR lead_b = \(bind: absorbed.rawValue))
            """
        ).all().map {
            let a = try $0.decode(column: "lead_a", as: String.self)
            return LeadID(rawValue: a == absorbed.rawValue ? try $0.decode(column: "lead_b", as: String.self) : a)
        }
        for other in others where other != survivor {
            try await decide(other, survivor, state: .distinct, in: workspace, actor: actor, at: now, db: db)
        }
        try await db.raw(
            """
            DELETE FROM duplicate_pairs
            WHERE workspace_id = \(bind: workspace.rawValue) AND state = 'open'
                AND (lead_a = \(bind: absorbed.rawValue) OR lead_b = \(bind: absorbed.rawValue))
            """
        ).run()
    }

    static func pair(_ row: any SQLRow) throws -> DuplicatePair {
        DuplicatePair(
            a: LeadID(rawValue: try row.decode(column: "lead_a", as: String.self)),
            b: LeadID(rawValue: try row.decode(column: "lead_b", as: String.self)),
            probability: try row.decode(column: "probability", as: Double.self),
            agreed: (try? JSONText.decode([String].self, try row.decode(column: "agreed", as: String.self))) ?? [],
            state: DuplicatePair.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .open,
            foundAt: try row.decode(column: "found_at", as: Date.self),
            decidedAt: try row.decode(column: "decided_at", as: Date?.self),
            decidedBy: try row.decode(column: "decided_by", as: String?.self))
    }
}
