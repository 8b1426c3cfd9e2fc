import Crypto
import Foundation
import LeadgenCore
import Logging
import Outreach
import Storage

/// Runs one enrolment to its next stopping point: through waits and conditions, up to one message.
struct EnrollmentAdvancer: Sendable {
    enum Outcome: Sendable { case sent, unknown, failed, deferred, moved }

    let dispatcher: OutreachDispatcher
    let budget: SendBudget
    let sequences: SequenceCache
    let batch: DispatchBatch
    let settlements: SettlementQueue
    let unsubscribeKey: Data?

    var enrollments: EnrollmentStore { dispatcher.enrollments }
    var messages: MessageStore { dispatcher.messages }

    func advance(_ enrollment: Enrollment) async -> Outcome {
        do {
            return try await run(enrollment)
        } catch {
            // Left held: it comes back when its hold runs out.
            dispatcher.logger.error(
                "outreach: enrolment could not advance",
                metadata: ["enrollment": "\(enrollment.id)", "error": "\(String(reflecting: error))"])
            return .deferred
        }
    }

    func run(_ enrollment: Enrollment) async throws -> Outcome {
        guard let workspace = enrollment.workspaceID,
            let (stored, sequence) = await sequences.get(enrollment.sequenceID, in: workspace)
        else {
            try await enrollments.setStatus(enrollment.id, .failed, reason: "sequence_unreadable")
            return .failed
        }
        guard let lead = batch.leads[enrollment.leadID] else {
            try await enrollments.setStatus(enrollment.id, .failed, reason: "lead_deleted")
            return .failed
        }
        let now = dispatcher.time.now()
        let zone = LeadTimeZone.resolve(lead.fields, workspace: dispatcher.options.workspaceTimeZone).zone
        var index = enrollment.stepIndex
        for _ in 0...(sequence.steps.count + 1) {
            guard index < sequence.steps.count else {
                try await enrollments.setStatus(enrollment.id, .finished, reason: nil)
                return .moved
            }
            let step = sequence.steps[index]
            switch step.kind {
            case .wait:
                let end = step.kind.waitEnd(from: now, in: zone, holidays: sequence.holidays) ?? now
                try await enrollments.move(enrollment.id, to: index + 1, at: end)
                return .moved
            case .condition(let condition, let then, let otherwise):
                let holds = try await evaluate(condition, enrollment, at: index, lead: lead)
                let target = holds ? then : otherwise
                index = target.flatMap { id in sequence.steps.firstIndex { $0.id == id } } ?? index + 1
            case .task(let title):
                // A person does it; resuming the enrolment goes on with the next step.
                try await enrollments.move(enrollment.id, to: index, at: nil)
                try await enrollments.setStatus(
                    enrollment.id, .paused, reason: "task: \(render(title, lead, sequence))")
                return .moved
            case .email, .sms, .webhook:
                let send = StepSender(
                    advancer: self, enrollment: enrollment, workspace: workspace, stored: stored, sequence: sequence,
                    lead: lead, zone: zone, index: index, now: now)
                switch try await send.run(step) {
                case .next:
                    index += 1
                case .done(let outcome):
                    return outcome
                }
            }
        }
        try await enrollments.setStatus(enrollment.id, .failed, reason: "conditions_loop")
        return .failed
    }

    func evaluate(_ condition: SequenceStep.Condition, _ enrollment: Enrollment, at index: Int, lead: Lead)
        async throws -> Bool
    {
        switch condition {
        case .engaged(let event):
            return try await messages.lastEmailEngagement(enrollment.id, before: index).contains(event)
        case .notEngaged(let event):
            return try await !messages.lastEmailEngagement(enrollment.id, before: index).contains(event)
        case .field(let field, let value):
            return Self.fieldValue(field, of: lead)?.lowercased() == value.lowercased()
        }
    }

    /// A task's title for this lead ("Call {{first_name}}" → "Call Ada").
    func render(_ title: String, _ lead: Lead, _ sequence: SequenceDefinition) -> String {
        guard let template = try? MustacheTemplate(parsing: title) else { return title }
        let company = lead.companyID.flatMap { batch.companies[$0] }
        let values = MessageVariables.values(
            lead: lead, company: company, sender: Sender(name: "", email: "", physicalAddress: ""))
        return template.render(values, fallbacks: MessageVariables.defaultFallbacks.merging(sequence.fallbacks) { $1 })
    }

    static func fieldValue(_ field: String, of lead: Lead) -> String? {
        let f = lead.fields
        switch field {
        case "status": return lead.status.rawValue
        case "title": return f.title
        case "seniority": return f.seniority?.rawValue
        case "city": return f.city
        case "state": return f.state
        case "country": return f.country?.code
        case "email_status": return f.emailStatus?.rawValue
        default:
            if field.hasPrefix("custom.") { return f.customFields[String(field.dropFirst("custom.".count))] }
            return nil
        }
    }
}
