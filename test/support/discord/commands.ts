// Registered application commands per scope (global or one guild), as bulk overwrite leaves them.
import { isObject } from './validate-fields.js';
import type { SnowflakeFactory } from './snowflake.js';
import type { JsonObject, StoredCommand } from './types.js';

const GLOBAL = 'global';

export class CommandStore {
  private readonly scopes = new Map<string, StoredCommand[]>();

  constructor(
    private readonly ids: SnowflakeFactory,
    private readonly applicationId: string,
  ) {}

  list(guildId?: string): StoredCommand[] {
    return [...(this.scopes.get(guildId ?? GLOBAL) ?? [])];
  }

  /** A guild command shadows a global one of the same name, as in the Discord client. */
  find(name: string, guildId: string | undefined, type = 1): StoredCommand | undefined {
    const match = (c: StoredCommand) => c.name === name && c.type === type;
    return (guildId ? this.list(guildId).find(match) : undefined) ?? this.list().find(match);
  }

  /** Bulk overwrite: commands keep their id when a command with the same name and type existed. */
  overwrite(definitions: JsonObject[], guildId?: string): StoredCommand[] {
    const previous = this.list(guildId);
    const next = definitions.map((definition) => {
      const type = typeof definition.type === 'number' ? definition.type : 1;
      const existing = previous.find((c) => c.name === definition.name && c.type === type);
      return this.normalise(definition, guildId, existing?.id);
    });
    this.scopes.set(guildId ?? GLOBAL, next);
    return next;
  }

  upsert(definition: JsonObject, guildId?: string): { command: StoredCommand; created: boolean } {
    const list = this.list(guildId);
    const type = typeof definition.type === 'number' ? definition.type : 1;
    const index = list.findIndex((c) => c.name === definition.name && c.type === type);
    const command = this.normalise(definition, guildId, index === -1 ? undefined : list[index]?.id);
    if (index === -1) list.push(command);
    else list[index] = command;
    this.scopes.set(guildId ?? GLOBAL, list);
    return { command, created: index === -1 };
  }

  delete(commandId: string, guildId?: string): boolean {
    const list = this.list(guildId);
    const next = list.filter((c) => c.id !== commandId);
    this.scopes.set(guildId ?? GLOBAL, next);
    return next.length !== list.length;
  }

  private normalise(definition: JsonObject, guildId: string | undefined, id: string | undefined): StoredCommand {
    const type = typeof definition.type === 'number' ? definition.type : 1;
    const permissions = definition.default_member_permissions;
    return {
      ...definition,
      id: id ?? this.ids.next(),
      application_id: this.applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      name: String(definition.name),
      name_localizations: isObject(definition.name_localizations) ? definition.name_localizations : null,
      type,
      description: typeof definition.description === 'string' ? definition.description : '',
      description_localizations: isObject(definition.description_localizations)
        ? definition.description_localizations
        : null,
      default_member_permissions: permissions === undefined || permissions === null ? null : String(permissions),
      nsfw: definition.nsfw === true,
      contexts: Array.isArray(definition.contexts) ? definition.contexts : null,
      integration_types: Array.isArray(definition.integration_types) ? definition.integration_types : [0],
      version: this.ids.next(),
    };
  }
}
