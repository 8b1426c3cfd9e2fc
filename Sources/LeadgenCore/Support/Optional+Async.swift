extension Optional {
    /// `flatMap` for an asynchronous transform: nil stays nil, a value is transformed and may become nil.
    public func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
