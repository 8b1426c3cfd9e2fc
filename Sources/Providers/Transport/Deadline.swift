import NIOCore

/// Runs `body`, giving up with nil when it takes longer than `timeout`.
func withDeadline<T: Sendable>(
    _ timeout: TimeAmount, _ body: @escaping @Sendable () async throws -> T?
) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask { try await body() }
        tasks.addTask {
            try await Task.sleep(nanoseconds: UInt64(max(0, timeout.nanoseconds)))
            return nil
        }
        defer { tasks.cancelAll() }
        return try await tasks.next() ?? nil
    }
}
