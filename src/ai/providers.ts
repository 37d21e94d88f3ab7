import type { LlmConfig } from '../shared/config/config.js';
import type { AiProvider, KnowledgeRetriever } from './provider.js';
import { createBuiltinResponder } from './builtin/responder.js';

/**
 * The configured provider: the offline knowledge responder by default, a real LLM when configured.
 * The AI SDK is loaded only when an LLM is configured, so the default start-up does not pay for it.
 */
export function createAiProvider(llm: LlmConfig | null, retriever: KnowledgeRetriever): AiProvider {
  if (!llm) return createBuiltinResponder({ retriever });
  let provider: Promise<AiProvider> | null = null;
  const load = () => (provider ??= import('./llm.js').then((m) => m.createLlmProvider(llm, retriever)));
  return {
    name: `${llm.kind}:${llm.model}`,
    async reply(request) {
      return (await load()).reply(request);
    },
    async write(request) {
      const llmProvider = await load();
      if (!llmProvider.write) throw new Error('this provider writes no texts');
      return llmProvider.write(request);
    },
  };
}
