import Foundation
import LeadgenCore
import Logging
import Providers
import Storage

/// Sends the webhook messages that are due: claims a batch, sends each (signed, to the endpoint's URL as it
/// is now), records every attempt, and goes on until none is due; then forgets the finished messages past
/// their retention. Queued when messages are written, every minute by its schedule, and for the next retry.
public struct WebhookDeliveryJob: JobHandler {
    public static let kind = WebhookMessageStore.deliveryJobKind
    public static let queue = WebhookMessageStore.deliveryQueue
    public static let scheduleName = WebhookMessageStore.deliveryScheduleName

    let messages: WebhookMessageStore
    let endpoints: WebhookEndpointStore
    let sender: WebhookSender
    let time: TimeSource
    let logger: Logger
    /// Attempts made at once.
    let batchSize: Int
    /// Batches per run, so one run ends; the schedule starts the next.
    let maxBatches: Int

    public init(
        messages: WebhookMessageStore, endpoints: WebhookEndpointStore, sender: WebhookSender, time: TimeSource,
        logger: Logger, batchSize: Int = 16, maxBatches: Int = 500
    ) {
        self.messages = messages
        self.endpoints = endpoints
        self.sender = sender
        self.time = time
        self.logger = logger
        self.batchSize = batchSize
        self.maxBatches = maxBatches
    }

    /// How long a claimed message is held: past the sender's timeout, so it is never sent twice at once; a
    /// message held by a worker that died goes again after it.
    var lease: TimeInterval { sender.timeoutSeconds * 2 + 5 }

    public func run(_ job: Job) async throws {
        for _ in 0..<maxBatches {
            let due = try await messages.claim(limit: batchSize, lease: lease)
            guard !due.isEmpty else { break }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for delivery in due { group.addTask { try await deliver(delivery) } }
                try await group.waitForAll()
            }
        }
        try await messages.queueNextAttempt()
        try await messages.prune()
    }

    /// Makes one attempt and records it.
    func deliver(_ delivery: WebhookDelivery) async throws {
        let startedAt = time.now()
        let clock = ContinuousClock()
        let start = clock.now
        let answer: WebhookSender.Answer
        do {
            guard let target = try await endpoints.target(of: delivery.endpointID) else { return }
            answer = await sender.send(
                WebhookSender.Attempt(
                    url: target.url, messageID: delivery.messageID, body: delivery.body, secrets: target.secrets,
                    timestamp: startedAt))
        } catch let failure as SecretBox.Failure {
            answer = WebhookSender.Answer(statusCode: nil, error: failure.description, excerpt: "", retryAfter: nil)
        }
        let elapsed = clock.now - start
        let milliseconds = Int(
            elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let result = WebhookAttemptResult(
            statusCode: answer.statusCode, error: answer.error, responseExcerpt: answer.excerpt,
            durationMilliseconds: milliseconds, retryAfter: answer.retryAfter)
        if !result.succeeded {
            logger.info(
                "webhook attempt failed",
                metadata: [
                    "message": "\(delivery.messageID)", "endpoint": "\(delivery.endpointID)",
                    "attempt": "\(delivery.attempt)", "status": "\(answer.statusCode.map(String.init) ?? "none")",
                    "error": "\(answer.error ?? "")",
                ])
        }
        try await messages.record(delivery, startedAt: startedAt, result: result)
    }
}
