import * as vscode from "vscode";
import { errorMessage } from "../error-hints.js";

/** One row of a claudemesh tree; every tree is built from these. */
export interface TreeNode {
  treeItem(): vscode.TreeItem;
  children?(): Promise<TreeNode[]>;
}

/** A plain row: a label, a description, an icon, and a context value for its inline actions. */
export class InfoNode implements TreeNode {
  constructor(
    readonly label: string,
    readonly options: {
      description?: string;
      icon?: string;
      tooltip?: string;
      contextValue?: string;
      id?: string;
      /** The server-side id or slug the row's actions work on. */
      resource?: string;
      /** Rows under this one, loaded when it is expanded (and again on every refresh while it is). */
      children?: () => Promise<TreeNode[]>;
    } = {},
  ) {
    const load = options.children;
    if (load) this.children = load;
  }

  readonly children?: () => Promise<TreeNode[]>;

  treeItem(): vscode.TreeItem {
    const collapsed = this.children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(this.label, collapsed);
    item.description = this.options.description;
    item.tooltip = this.options.tooltip;
    item.contextValue = this.options.contextValue;
    if (this.options.id) item.id = this.options.id;
    if (this.options.icon) item.iconPath = new vscode.ThemeIcon(this.options.icon);
    return item;
  }
}

/** A failure shown in the tree (never swallowed), with a retry. */
export class ErrorNode implements TreeNode {
  constructor(
    readonly message: string,
    readonly retryCommand: string,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon("error");
    item.tooltip = this.message;
    item.command = { command: this.retryCommand, title: vscode.l10n.t("Retry") };
    return item;
  }
}

/**
 * A tree of rows loaded from the server: shows the rows, an empty-state row,
 * or the error; refreshes on demand and whenever the identity changes.
 */
export class RemoteTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.#changed.event;

  constructor(
    readonly load: () => Promise<TreeNode[]>,
    readonly refreshCommand: string,
  ) {}

  refresh(): void {
    this.#changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (node) return node.children ? await node.children() : [];
      return await this.load();
    } catch (error) {
      return [new ErrorNode(errorMessage(error), this.refreshCommand)];
    }
  }

  dispose(): void {
    this.#changed.dispose();
  }
}
