// Types for the tests that plant violations and read the rule's messages.
export declare const MESSAGES: Record<'electron' | 'nodeInRenderer' | 'mainInRenderer' | 'reactInMain' | 'rendererInMain' | 'shells' | 'coreImportsShell' | 'sharedImports' | 'preloadNode' | 'computed' | 'javascript' | 'outside', string>;
export declare function layerOf(path: string): string;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
