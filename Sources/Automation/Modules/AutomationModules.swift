import Providers

/// Every native module Leadgen runs.
public enum AutomationModules {
    /// The HTTP modules call what scenarios name through `http`, whose outbound policy refuses private and
    /// loopback addresses. `keychains` resolves the credentials of the HTTP modules' keychain variants;
    /// without it those variants stop with an error naming the missing keychain.
    public static func all(http httpClient: GuardedHTTPClient, keychains: (any HTTPKeychains)? = nil) -> [String:
        any NativeModule]
    {
        var modules = CoreModules.all()
        func http(_ version: HTTPRequestModule.Version, _ auth: HTTPAuthVariant) -> HTTPRequestModule {
            HTTPRequestModule(version: version, client: httpClient, auth: auth, keychains: keychains)
        }
        modules["http:ActionSendData"] = http(.v3, .none)
        modules["http:ActionSendDataAPIKeyAuth"] = http(.v3, .apiKey)
        modules["http:ActionSendDataBasicAuth"] = http(.v3, .basic)
        modules["http:ActionSendDataOAuth"] = http(.v3, .oauth)
        modules["http:MakeRequest"] = http(.v4, .fromParameters)
        return modules
    }
}
