// A test helper: a worker process whose one job handler stops the process, as a crash in a job would. It
// drains the queue of the database given as its argument, prints how many jobs it ran, and exits; a job of
// kind "crash" ends it at once with a trap.
import Foundation
import LeadgenCore
import Logging
import Storage

struct Crash: JobHandler {
    func run(_ job: Job) async throws {
        fatalError("job \(job.id) stops its process")
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 2, let url = try? DatabaseURL(parsing: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: CrashingWorker DATABASE_URL\n".utf8))
    exit(2)
}
var logger = Logger(label: "crashing-worker")
logger.logLevel = .critical
let database = try await LeadgenDatabase.open(url, logger: logger)
var options = JobWorker.Options()
options.lease = 1
let worker = JobWorker(
    queue: JobQueue(database: database, ids: .uuidV7, time: .system), handlers: ["crash": Crash()],
    options: options, logger: logger)
let ran = try await worker.drain()
try await database.close()
print("ran \(ran)")
