// The few pieces of the `vscode` API the extension touches, kept in memory so unit
// tests can see what it registered and showed. Grows with the extension.

type Handler = (...args: unknown[]) => unknown;

export const registeredCommands = new Map<string, Handler>();
export const shownMessages: string[] = [];

export const commands = {
  registerCommand(id: string, handler: Handler) {
    if (registeredCommands.has(id)) throw new Error(`command '${id}' already exists`);
    registeredCommands.set(id, handler);
    return { dispose: () => registeredCommands.delete(id) };
  },
  executeCommand(id: string, ...args: unknown[]) {
    const handler = registeredCommands.get(id);
    if (!handler) throw new Error(`command '${id}' not found`);
    return Promise.resolve(handler(...args));
  },
};

export const window = {
  showInformationMessage(message: string) {
    shownMessages.push(message);
    return Promise.resolve(undefined);
  },
};
