import Crypto
import Foundation
import LeadgenCore
import Outreach
import Storage

/// Sends one step's message to one lead, through the ledger: checks the suppression list, the lead's window
/// and the sending limits; writes the message as `sending`; calls the vendor; settles what came of it.
struct StepSender {
    enum Result {
        /// The step was sent before (a run that died after settling it): go on with the next step.
        case next
        case done(EnrollmentAdvancer.Outcome)
    }

    let advancer: EnrollmentAdvancer
    let enrollment: Enrollment
    let workspace: WorkspaceID
    let stored: StoredSequence
    let sequence: SequenceDefinition
    let lead: Lead
    let zone: TimeZone
    let index: Int
    let now: Date

    var dispatcher: OutreachDispatcher { advancer.dispatcher }
    var enrollments: EnrollmentStore { dispatcher.enrollments }
    var messages: MessageStore { dispatcher.messages }

    func run(_ step: SequenceStep) async throws -> Result {
        if case .webhook(let url) = step.kind { return try await webhook(step, url) }
        let channel: OutreachSender.Channel = if case .sms = step.kind { .sms } else { .email }
        let recipient: String? =
            switch channel {
            case .email: lead.fields.email?.value
            case .sms: lead.fields.phones.lazy.compactMap(\.e164).first
            }
        guard let recipient else {
            try await enrollments.setStatus(enrollment.id, .failed, reason: channel == .email ? "no_email" : "no_phone")
            return .done(.failed)
        }
        guard let slot = sequence.window.nextSlot(atOrAfter: now, in: zone, holidays: sequence.holidays) else {
            try await enrollments.setStatus(enrollment.id, .failed, reason: "window_never_open")
            return .done(.failed)
        }
        if slot > now {
            try await enrollments.move(enrollment.id, to: index, at: slot, reason: "outside_window")
            return .done(.deferred)
        }
        let domain = channel == .email ? recipient.split(separator: "@").last.map { String($0).lowercased() } : nil
        let sender: OutreachSender
        switch advancer.budget.reserve(workspace, channel, domain: domain, now: now) {
        case .noSender:
            try await enrollments.move(
                enrollment.id, to: index, at: now.addingTimeInterval(900), reason: "no_\(channel.rawValue)_sender")
            return .done(.deferred)
        case .wait(let until, let reason):
            try await enrollments.move(enrollment.id, to: index, at: until, reason: reason)
            return .done(.deferred)
        case .send(let chosen):
            sender = chosen
        }
        let composed: ComposedMessage
        switch compose(step, sender: sender, recipient: recipient) {
        case .success(let message): composed = message
        case .failure(let problem):
            advancer.budget.release(sender, domain: domain, workspace: workspace, at: now)
            try await enrollments.move(
                enrollment.id, to: index, at: now.addingTimeInterval(3600), reason: problem.reason)
            return .done(.deferred)
        }
        let message = OutreachMessage(
            id: dispatcher.ids(), workspaceID: workspace, sequenceID: stored.id, enrollmentID: enrollment.id,
            leadID: lead.id, stepIndex: index, stepID: step.id, variant: composed.variant, channel: channel.rawValue,
            provider: sender.provider, senderID: sender.id, recipient: recipient, subject: composed.subject,
            body: composed.text, createdAt: now)
        let begun: MessageStore.Begun
        do { begun = try await messages.begin(message) } catch {
            advancer.budget.release(sender, domain: domain, workspace: workspace, at: now)
            throw error
        }
        switch begun {
        case .started: break
        case .existing(let earlier):
            advancer.budget.release(sender, domain: domain, workspace: workspace, at: now)
            return try await settleEarlier(earlier)
        case .suppressed(let suppression):
            advancer.budget.release(sender, domain: domain, workspace: workspace, at: now)
            let status: Enrollment.Status = suppression.reason == "bounced" ? .bounced : .unsubscribed
            try await enrollments.setStatus(enrollment.id, status, reason: "suppressed: \(suppression.reason)")
            return .done(.failed)
        }
        let outcome = await dispatcher.transport.send(
            message, composed: composed, sender: sender, recipientName: lead.fields.fullName)
        return .done(try await settle(message, outcome, sender: sender, domain: domain))
    }

    struct CompositionProblem: Error { var reason: String }

    func compose(_ step: SequenceStep, sender: OutreachSender, recipient: String)
        -> Swift.Result<ComposedMessage, CompositionProblem>
    {
        let composer = MessageComposer(sequence: sequence)
        let from = Sender(
            name: sender.name, email: sender.address, title: sender.title, physicalAddress: sender.physicalAddress ?? ""
        )
        let company = lead.companyID.flatMap { advancer.batch.companies[$0] }
        switch step.kind {
        case .email(let variants):
            guard let variant = VariantPicker.pick(variants, for: enrollment.id + "|" + step.id) else {
                return .failure(CompositionProblem(reason: "no_variant"))
            }
            guard let base = dispatcher.options.publicURL, let key = advancer.unsubscribeKey else {
                return .failure(
                    CompositionProblem(reason: "no_unsubscribe_link: set LEADGEN_PUBLIC_URL and LEADGEN_MASTER_KEY"))
            }
            guard !(sender.physicalAddress ?? "").isEmpty else {
                return .failure(CompositionProblem(reason: "sender_without_physical_address"))
            }
            let token = UnsubscribeToken(workspaceID: workspace.rawValue, email: recipient).token(
                key: .init(data: key))
            return .success(
                composer.email(
                    variant, lead: lead, company: company, sender: from,
                    unsubscribeURL: base.appendingPathComponent("u").appendingPathComponent(token),
                    hasVariants: variants.count > 1))
        case .sms(let body, _):
            let isFirst = !sequence.steps[..<index].contains { if case .sms = $0.kind { true } else { false } }
            return .success(composer.sms(body, lead: lead, company: company, sender: from, isFirst: isFirst))
        default:
            return .failure(CompositionProblem(reason: "not_a_message"))
        }
    }

    /// A message this step already has: never sent again.
    func settleEarlier(_ earlier: OutreachMessage) async throws -> Result {
        switch earlier.status {
        case .sent:
            return .next
        case .sending:
            try await messages.settleUnknown(
                earlier, error: "the process sending it stopped before the vendor's answer was recorded")
            return .done(.unknown)
        case .unknown:
            try await enrollments.setStatus(enrollment.id, .paused, reason: "unknown_send")
            return .done(.unknown)
        case .failed:
            try await enrollments.setStatus(enrollment.id, .failed, reason: earlier.error ?? "failed")
            return .done(.failed)
        }
    }

    func settle(_ message: OutreachMessage, _ outcome: SendOutcome, sender: OutreachSender?, domain: String?)
        async throws -> EnrollmentAdvancer.Outcome
    {
        dispatcher.metrics.record(channel: message.channel, provider: message.provider, outcome: outcome.metric)
        switch outcome {
        case .sent(let id):
            try await advancer.settlements.settle(
                MessageStore.SentSettlement(
                    message: message, providerMessageID: id, nextStep: index + 1, nextActionAt: now,
                    finished: index + 1 >= sequence.steps.count, leadStatus: lead.status))
            return .sent
        case .refused(let error, let optedOut):
            if optedOut {
                try await dispatcher.suppressions.suppress(
                    .phone, message.recipient, reason: "sms_stop", source: "twilio", detail: "error 21610",
                    in: workspace)
            }
            try await messages.settleFailed(
                message, error: error, enrollmentStatus: optedOut ? "unsubscribed" : "failed")
            return .failed
        case .notSent(let reason, let retryAfter):
            if let sender { advancer.budget.release(sender, domain: domain, workspace: workspace, at: now) }
            try await messages.settleNotSent(
                message, retryAt: now.addingTimeInterval(max(1, retryAfter ?? 60)), reason: reason)
            return .deferred
        case .unknown(let error):
            try await messages.settleUnknown(message, error: error)
            return .unknown
        }
    }

    /// A webhook step: one POST of the lead, through the same ledger as messages.
    func webhook(_ step: SequenceStep, _ url: URL) async throws -> Result {
        let payload: JSON = .object([
            "event": .string("sequence.step"), "sequence_id": .string(stored.id),
            "enrollment_id": .string(enrollment.id), "step_id": .string(step.id), "lead": WebhookStepLead.object(lead),
        ])
        let body = (try? payload.data()) ?? Data("{}".utf8)
        let message = OutreachMessage(
            id: dispatcher.ids(), workspaceID: workspace, sequenceID: stored.id, enrollmentID: enrollment.id,
            leadID: lead.id, stepIndex: index, stepID: step.id, variant: nil, channel: "webhook", provider: "webhook",
            senderID: nil, recipient: url.absoluteString, subject: nil, body: String(decoding: body, as: UTF8.self),
            createdAt: now)
        if case .existing(let earlier) = try await messages.begin(message) { return try await settleEarlier(earlier) }
        // A webhook step goes to a URL, which no suppression names.
        let outcome = await dispatcher.transport.callWebhook(url, payload: body)
        return .done(try await settle(message, outcome, sender: nil, domain: nil))
    }
}

/// The lead as a webhook step posts it: its id, status and company id, every single-valued `LeadField` by its
/// key, its tags, and `phone`, the first number in E.164 form.
enum WebhookStepLead {
    static func object(_ lead: Lead) -> JSON {
        let f = lead.fields
        var object: [String: JSON] = [
            "id": .string(lead.id.rawValue), "status": .string(lead.status.rawValue),
            "tags": .array(f.tags.map { .string($0) }),
        ]
        for field in LeadField.allCases where !field.isList {
            if let text = field.text(in: f) { object[field.key] = .string(text) }
        }
        if let phone = f.phones.first?.e164 { object["phone"] = .string(phone) }
        if let company = lead.companyID { object["company_id"] = .string(company.rawValue) }
        return .object(object)
    }
}

extension SendOutcome {
    fileprivate var metric: SendMetrics.Outcome {
        switch self {
        case .sent: .sent
        case .refused: .refused
        case .notSent: .deferred
        case .unknown: .unknown
        }
    }
}
