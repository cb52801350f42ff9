import { EmulatorError, freePort, startEmulator } from '../../../functions/cli/emulator';

describe('startEmulator', () => {
  it('fails with the install hint when the emulator is not installed', async () => {
    // Act
    const start = startEmulator({ command: 'no-such-emulator-binary' });

    // Assess
    await expect(start).rejects.toThrow(EmulatorError);
    await expect(startEmulator({ command: 'no-such-emulator-binary' })).rejects.toThrow(
      'no-such-emulator-binary is not installed or not on PATH: run "npm run emulator:install" (it creates .venv here with moto[server]), or pip install \'moto[server]\'',
    );
  });

  it('says so when the emulator exits before answering', async () => {
    // Prepare: a command that exists but exits at once
    const command = 'false';

    // Act
    const start = startEmulator({ command, timeoutMs: 5000 });

    // Assess
    await expect(start).rejects.toThrow(/^false exited before answering on port \d+ \(exit code 1\)$/);
  });
});

describe('freePort', () => {
  it('returns a port a server can bind on the loopback address', async () => {
    // Act
    const port = await freePort();

    // Assess
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
  });
});
