// The try-on emulator as a standalone server:
//   dotnet run --project src/AliTryOn.Testing.Server -- --urls http://127.0.0.1:5080
// then call POST http://127.0.0.1:5080/api/v2/tryon/submit with "Authorization: APPCODE emulator-appcode".
await AliTryOn.Testing.Server.EmulatorServer.Create(args).RunAsync().ConfigureAwait(false);
