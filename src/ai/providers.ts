import type { LlmConfig } from '../shared/config/config.js';
import type { AiProvider, KnowledgeRetriever } from './provider.js';
import { createBuiltinResponder } from './builtin/responder.js';
import { createLlmProvider } from './llm.js';

/** The configured provider: the offline knowledge responder by default, a real LLM when configured. */
export function createAiProvider(llm: LlmConfig | null, retriever: KnowledgeRetriever): AiProvider {
  return llm ? createLlmProvider(llm, retriever) : createBuiltinResponder({ retriever });
}
