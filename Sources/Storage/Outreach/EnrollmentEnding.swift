import Foundation
import LeadgenCore
import SQLKit

/// `sequence.enrollment.finished`: one event for each enrolment an `UPDATE … RETURNING` (with `returning`)
/// moved to an end (finished, replied, bounced, unsubscribed, failed). Each UPDATE that ends enrolments only
/// matches those still going, so an enrolment ends, and is reported, once.
enum EnrollmentEnding {
    static let returning: SQLQueryString = "RETURNING id, workspace_id, sequence_id, lead_id, status, status_reason"

    static func events(_ rows: [any SQLRow]) throws -> [WorkspaceID: [NewPlatformEvent]] {
        var events: [WorkspaceID: [NewPlatformEvent]] = [:]
        for row in rows {
            let status = try row.decode(column: "status", as: String.self)
            guard let ended = Enrollment.Status(rawValue: status), ended != .active, ended != .paused else { continue }
            let lead = try row.decode(column: "lead_id", as: String.self)
            events[WorkspaceID(rawValue: try row.decode(column: "workspace_id")), default: []].append(
                NewPlatformEvent(
                    .sequenceEnrollmentFinished, subject: lead,
                    payload: [
                        "enrollment_id": .text(try row.decode(column: "id")),
                        "sequence_id": .text(try row.decode(column: "sequence_id")), "lead_id": .text(lead),
                        "status": .text(status),
                        "reason": .text(try row.decode(column: "status_reason", as: String?.self)),
                    ]))
        }
        return events
    }

    /// Records the events of the ended enrolments among `rows`, on `db`.
    static func record(_ rows: [any SQLRow], outbox: PlatformEventOutbox, on db: any SQLDatabase) async throws {
        for (workspace, events) in try events(rows) {
            try await outbox.record(events, workspace: workspace, on: db)
        }
    }
}
