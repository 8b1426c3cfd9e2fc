import Foundation
import LeadgenCore
import Outreach
import Storage

/// Enrols leads in a sequence under `EnrollmentRules`, each lead once; used by the API and by the
/// `leadgen:EnrollInSequence` module.
public struct EnrollmentService: Sendable {
    let enrollments: EnrollmentStore
    let suppressions: SuppressionStore
    /// What verification found of each address; an undeliverable one is not enrolled in e-mail sequences.
    let verifications: EmailVerificationStore?
    /// Queues the dispatcher once leads are enrolled, so their first step goes without waiting for its schedule.
    let jobs: JobQueue?

    public init(
        enrollments: EnrollmentStore, suppressions: SuppressionStore, verifications: EmailVerificationStore? = nil,
        jobs: JobQueue? = nil
    ) {
        self.enrollments = enrollments
        self.suppressions = suppressions
        self.verifications = verifications
        self.jobs = jobs
    }

    /// A lead left out, and why (`EnrollmentRules.Refusal`'s names, or already_enrolled).
    public struct Skipped: Sendable, Equatable {
        public var leadID: LeadID
        public var reason: String
    }

    public struct Outcome: Sendable, Equatable {
        public var enrolled: [Enrollment] = []
        public var skipped: [Skipped] = []
    }

    public struct UnreadableDefinition: Error, CustomStringConvertible {
        public var description: String { "the sequence's stored definition no longer reads" }
    }

    public func enroll(_ leads: [Lead], in sequence: StoredSequence) async throws -> Outcome {
        guard let definition = try? SequenceDefinition(json: Data(sequence.definition.utf8)) else {
            throw UnreadableDefinition()
        }
        let workspace = sequence.workspaceID
        let elsewhere = try await enrollments.activeElsewhere(leads.map(\.id), besides: sequence.id, in: workspace)
        let verified =
            try await verifications?.find(leads.compactMap { $0.fields.email?.value }, in: workspace) ?? [:]
        var outcome = Outcome()
        for lead in leads {
            let refusal = try await EnrollmentRules.refusal(
                lead, definition, activeElsewhere: elsewhere.contains(lead.id),
                verification: lead.fields.email.flatMap { verified[$0.value] }?.verification.outcome
            ) { email, phone in
                try await suppressions.isSuppressed(email: email, phone: phone, in: workspace)
            }
            if let refusal {
                outcome.skipped.append(Skipped(leadID: lead.id, reason: refusal.rawValue))
            } else if let enrollment = try await enrollments.enroll(lead.id, in: sequence.id, workspace: workspace) {
                outcome.enrolled.append(enrollment)
            } else {
                outcome.skipped.append(Skipped(leadID: lead.id, reason: "already_enrolled"))
            }
        }
        if !outcome.enrolled.isEmpty, let jobs { try await jobs.enqueue(try OutreachDispatchJob.newJob()) }
        return outcome
    }
}
