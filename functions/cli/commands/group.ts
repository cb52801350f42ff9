import type { Command } from 'commander';
import type { Commands } from '../commands';
import type { CommandHelp } from '../help';
import type { CliIo } from '../io';

/**
 * What main.ts lends a group of commands (audit, policy, iac): its command factory, the lazy
 * command loader, the output, the exit code.
 */
export interface CommandGroup {
  command(parent: Command, name: string, help: CommandHelp): Command;
  load(): Promise<Commands>;
  io(): CliIo;
  exit(code: number): void;
}
