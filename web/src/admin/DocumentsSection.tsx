import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { ErrorState, Empty, FieldError, FormError, Loading, useFormErrors } from '../ui/States';

/** The agent's knowledge: documents it answers from. */
export function DocumentsSection({ agentId }: { agentId: string }) {
  const client = useQueryClient();
  const key = ['documents', agentId];
  const docs = useQuery({
    queryKey: key,
    queryFn: async () => (await unwrap(api.GET('/api/v1/agents/{id}/documents', { params: { path: { id: agentId }, query: { limit: 100 } } }))).data,
  });
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [url, setUrl] = useState('');
  const add = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/agents/{id}/documents', { params: { path: { id: agentId } }, body: { title, body, url: url.trim() || null } })),
    onSuccess: () => {
      setTitle('');
      setBody('');
      setUrl('');
      void client.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (documentId: string) =>
      unwrap(api.DELETE('/api/v1/agents/{id}/documents/{document_id}', { params: { path: { id: agentId, document_id: documentId } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: key }),
  });
  const errors = useFormErrors(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <section className="card" aria-labelledby="docs-title">
      <h2 id="docs-title">Knowledge documents</h2>
      {docs.isPending ? (
        <Loading />
      ) : docs.isError ? (
        <ErrorState error={docs.error} retry={() => void docs.refetch()} />
      ) : docs.data.length === 0 ? (
        <Empty title="No documents">The agent answers from the documents you add here.</Empty>
      ) : (
        <ul className="rows">
          {docs.data.map((d) => (
            <li key={d.id}>
              <span>
                <strong>{d.title}</strong> {d.url && <a href={d.url}>{d.url}</a>}
              </span>
              <button type="button" className="btn btn-ghost" onClick={() => window.confirm(`Delete “${d.title}”?`) && remove.mutate(d.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={submit} aria-label="Add a document">
        <h3>Add a document</h3>
        <label>
          Title
          <input
            value={title}
            required
            maxLength={500}
            aria-describedby="document-title-error"
            onChange={(e) => {
              errors.edited('title');
              setTitle(e.target.value);
            }}
          />
          <FieldError id="document-title-error" message={errors.field('title')} />
        </label>
        <label>
          Text <span className="hint">(plain text or markdown)</span>
          <textarea
            rows={5}
            value={body}
            required
            aria-describedby="document-body-error"
            onChange={(e) => {
              errors.edited('body');
              setBody(e.target.value);
            }}
          />
          <FieldError id="document-body-error" message={errors.field('body')} />
        </label>
        <label>
          Link to the original <span className="hint">(optional)</span>
          <input
            type="url"
            value={url}
            aria-describedby="document-url-error"
            onChange={(e) => {
              errors.edited('url');
              setUrl(e.target.value);
            }}
          />
          <FieldError id="document-url-error" message={errors.field('url')} />
        </label>
        <FormError error={errors.formError ?? remove.error} />
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          Add document
        </button>
      </form>
    </section>
  );
}
