import Foundation
import LeadgenCore
import Pipeline
import Storage

/// The jobs that recur, every minute each: HubSpot auto-sync, the scenario schedules, the outreach
/// dispatcher, the delivery of outgoing webhooks, and a sweep of platform events (each event also queues its dispatch at once; the sweep is the
/// safety net).
enum RecurringJobs {
    static func save(to scheduler: JobScheduler) async throws {
        let everyMinute = try CronExpression(parsing: "* * * * *")
        let schedules: [(name: String, kind: String, queue: String)] = [
            (ScenarioEventDispatchJob.scheduleName, ScenarioEventDispatchJob.kind, ScenarioRunJob.queue),
            (ScenarioScheduleTick.scheduleName, ScenarioScheduleTick.kind, ScenarioRunJob.queue),
            (OutreachDispatchJob.scheduleName, OutreachDispatchTick.kind, OutreachDispatchJob.queue),
            (HubSpotAutoSyncJob.scheduleName, HubSpotAutoSyncJob.kind, SyncPlanJob.queue),
            (WebhookDeliveryJob.scheduleName, WebhookDeliveryJob.kind, WebhookDeliveryJob.queue),
        ]
        for schedule in schedules {
            try await scheduler.save(
                name: schedule.name, cron: everyMinute,
                // The scheduler keys each run it queues by schedule and minute.
                job: try NewJob(kind: schedule.kind, payload: [String: String](), queue: schedule.queue))
        }
    }
}
