import App
import Foundation
import LeadgenCore
import Pipeline
import Providers
import Storage

extension AppRoot {
    /// The application over a test database: outbound calls to this machine allowed, the tests' logger;
    /// `configure` sets the rest.
    public static func testing(
        _ database: LeadgenDatabase, time: TimeSource = .system, ids: IDGenerator = .uuidV7,
        transport: ProviderTransport? = nil, messageTransport: (any MessageTransport)? = nil,
        _ configure: (inout AppSettings) -> Void = { _ in }
    ) -> AppRoot {
        var settings = AppSettings(outbound: .testLoopback)
        configure(&settings)
        return AppRoot(
            database: database, time: time, ids: ids, logger: TestDatabases.logger, settings: settings,
            transport: transport, messageTransport: messageTransport)
    }
}
