import Foundation
import LeadgenCore
import SQLKit

/// A mobile number asked of Apollo for one person, and what became of it.
public struct PhoneReveal: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Apollo will post the number to the webhook (it says "several minutes").
        case pending
        /// Apollo said it will send nothing for this person.
        case skipped
        /// The webhook brought at least one number.
        case delivered
        /// The webhook came without a number for the person.
        case none
    }

    public var personID: String
    public var leadID: LeadID
    public var runID: String
    public var status: Status
    public var requestID: String?
    public var detail: String?
    public var requestedAt: Date
    public var settledAt: Date?

    public init(
        personID: String, leadID: LeadID, runID: String, status: Status, requestID: String? = nil,
        detail: String? = nil, requestedAt: Date, settledAt: Date? = nil
    ) {
        self.personID = personID
        self.leadID = leadID
        self.runID = runID
        self.status = status
        self.requestID = requestID
        self.detail = detail
        self.requestedAt = requestedAt
        self.settledAt = settledAt
    }
}

/// Records the phone numbers asked of Apollo per person (pending or skipped) and settles them when the
/// webhook comes; one row per person and workspace, the latest request's.
public struct PhoneRevealStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// What one call answered: per person, pending (with Apollo's request id) or skipped (with its reason).
    public struct Request: Sendable, Equatable {
        public var personID: String
        public var leadID: LeadID
        public var skipped: Bool
        public var requestID: String?
        public var detail: String?

        public init(personID: String, leadID: LeadID, skipped: Bool, requestID: String?, detail: String?) {
            self.personID = personID
            self.leadID = leadID
            self.skipped = skipped
            self.requestID = requestID
            self.detail = detail
        }
    }

    /// Records the requests of one call of the run; a person asked again starts over.
    public func record(_ requests: [Request], runID: String, workspace: WorkspaceID) async throws {
        guard !requests.isEmpty else { return }
        let now = time.now()
        try await database.transaction { db in
            for request in requests {
                try await db.raw(
                    """
                    INSERT INTO phone_reveals (workspace_id, person_id, lead_id, run_id, status, request_id, detail,
                        requested_at, settled_at)
                    VALUES (\(bind: workspace.rawValue), \(bind: request.personID), \(bind: request.leadID.rawValue),
                        \(bind: runID), \(bind: (request.skipped ? PhoneReveal.Status.skipped : .pending).rawValue),
                        \(bind: request.requestID), \(bind: request.detail), \(bind: now),
                        \(bind: request.skipped ? now : nil as Date?))
                    ON CONFLICT (workspace_id, person_id) DO UPDATE SET lead_id = excluded.lead_id,
                        run_id = excluded.run_id, status = excluded.status, request_id = excluded.request_id,
                        detail = excluded.detail, requested_at = excluded.requested_at, settled_at = excluded.settled_at
                    """
                ).run()
            }
        }
    }

    /// Settles the people of a webhook delivery: delivered when it brought a number, else none. People never
    /// asked about are left alone; a later delivery for a person settles them again (Apollo may retry).
    public func settle(delivered: [String], without: [String], workspace: WorkspaceID) async throws {
        let now = time.now()
        for (people, status) in [(delivered, PhoneReveal.Status.delivered), (without, .none)] {
            for start in stride(from: 0, to: people.count, by: 500) {
                let chunk = Array(people[start..<min(people.count, start + 500)])
                try await database.sql.raw(
                    """
                    UPDATE phone_reveals SET status = \(bind: status.rawValue), settled_at = \(bind: now)
                    WHERE workspace_id = \(bind: workspace.rawValue) AND person_id IN (\(binds: chunk))
                    """
                ).run()
            }
        }
    }

    /// The latest request for the lead's phone, if any.
    public func latest(for lead: LeadID, in workspace: WorkspaceID) async throws -> PhoneReveal? {
        try await database.sql.raw(
            """
            SELECT * FROM phone_reveals WHERE workspace_id = \(bind: workspace.rawValue)
              AND lead_id = \(bind: lead.rawValue) ORDER BY requested_at DESC LIMIT 1
            """
        ).first().map(Self.decode)
    }

    /// How many of the run's requests are in each state.
    public func counts(run runID: String) async throws -> [PhoneReveal.Status: Int] {
        let rows = try await database.sql.raw(
            "SELECT status, COUNT(*) AS n FROM phone_reveals WHERE run_id = \(bind: runID) GROUP BY status"
        ).all()
        var counts: [PhoneReveal.Status: Int] = [:]
        for row in rows {
            guard let status = PhoneReveal.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { continue }
            counts[status] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    static func decode(_ row: any SQLRow) throws -> PhoneReveal {
        PhoneReveal(
            personID: try row.decode(column: "person_id"),
            leadID: LeadID(rawValue: try row.decode(column: "lead_id")),
            runID: try row.decode(column: "run_id"),
            status: PhoneReveal.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            requestID: try row.decode(column: "request_id", as: String?.self),
            detail: try row.decode(column: "detail", as: String?.self),
            requestedAt: try row.decode(column: "requested_at", as: Date.self),
            settledAt: try row.decode(column: "settled_at", as: Date?.self))
    }
}
