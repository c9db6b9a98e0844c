// Types for the parts of citation-js this service uses: the packages ship JavaScript only.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown);
    format(format: 'bibliography' | 'citation', options: { format?: 'text' | 'html'; template?: string; lang?: string }): string;
    format(format: 'bibtex' | 'biblatex', options?: { format?: 'text' }): string;
    format(format: 'ris', options: { format: 'object'; spec?: 'new' | 'old' | 'mixed' }): Record<string, string | string[]>[];
    format(format: 'data', options: { format: 'object' }): Record<string, unknown>[];
  }
  export const plugins: {
    config: {
      get(name: '@csl'): { styles: { add(name: string, xml: string): void; has(name: string): boolean } };
      get(name: '@bibtex'): { format: { useIdAsLabel: boolean; checkLabel: boolean; asciiOnly: boolean } };
    };
  };
  const core: { Cite: typeof Cite; plugins: typeof plugins };
  export default core;
}
declare module '@citation-js/plugin-csl';
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
