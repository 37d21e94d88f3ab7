import { useState } from 'react';
import { isAdmin, useMe } from '../auth/session';
import { ErrorState, Empty, FormError, Loading } from '../ui/States';
import { CannedForm } from './CannedForm';
import { searchCanned, useCannedMutations, useCannedResponses, type CannedResponse } from './queries';
import './canned.css';

function CannedCard({ response, canChange, onEdit }: { response: CannedResponse; canChange: boolean; onEdit: () => void }) {
  const { remove } = useCannedMutations();
  return (
    <li className="card canned-card" data-shortcut={response.shortcut}>
      <div className="canned-card-head">
        <h2>
          <code>/{response.shortcut}</code> {response.title && <span>{response.title}</span>}
        </h2>
        <span className={`badge ${response.scope === 'workspace' ? 'badge-workspace' : ''}`}>{response.scope === 'workspace' ? 'Workspace' : 'Only me'}</span>
        {canChange && (
          <span className="canned-card-actions">
            <button type="button" className="btn" onClick={onEdit}>
              Edit
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={remove.isPending}
              onClick={() => window.confirm(`Delete /${response.shortcut}? It cannot be undone.`) && remove.mutate(response.id)}
            >
              Delete
            </button>
          </span>
        )}
      </div>
      <p className="canned-content">{response.content}</p>
      <FormError error={remove.error} />
    </li>
  );
}

/** /canned-responses: the replies kept under a shortcut, typed after `/` in the composer. */
export function CannedResponsesPage() {
  const me = useMe().data;
  const admin = isAdmin(me);
  const responses = useCannedResponses();
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const [q, setQ] = useState('');
  // The workspace's are changed by admins; a personal one only ever reaches its owner.
  const canChange = (r: CannedResponse) => r.scope === 'personal' || admin;
  const shown = searchCanned(responses.data ?? [], q);

  return (
    <div className="page canned-page">
      <div className="channels-head">
        <h1>Canned responses</h1>
        {editing !== 'new' && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            + New response
          </button>
        )}
      </div>
      <p className="muted page-intro">
        Type <kbd>/</kbd> in a reply or a note to insert one; its variables are filled in and you can edit the text before sending.{' '}
        {admin ? 'Workspace responses are shared with everyone; personal ones are yours alone.' : 'Workspace responses are managed by admins; personal ones are yours alone.'}
      </p>
      {editing === 'new' && <CannedForm response={null} canShare={admin} onDone={() => setEditing(null)} />}
      {responses.isPending ? (
        <Loading />
      ) : responses.isError ? (
        <ErrorState error={responses.error} retry={() => void responses.refetch()} />
      ) : responses.data.length === 0 ? (
        editing !== 'new' && (
          <Empty title="No canned responses yet">
            <p>Keep the answers you give every day under a short name, like /refund or /hours.</p>
          </Empty>
        )
      ) : (
        <>
          <label className="canned-search">
            <span className="sr-only">Search canned responses</span>
            <input type="search" placeholder="Search shortcut, title or text" value={q} maxLength={200} onChange={(e) => setQ(e.target.value)} />
          </label>
          {shown.length === 0 && <p className="muted">Nothing matches “{q}”.</p>}
          <ul className="card-list canned-list">
            {shown.map((r) =>
              editing === r.id ? (
                <li key={r.id}>
                  <CannedForm response={r} canShare={admin} onDone={() => setEditing(null)} />
                </li>
              ) : (
                <CannedCard key={r.id} response={r} canChange={canChange(r)} onEdit={() => setEditing(r.id)} />
              ),
            )}
          </ul>
        </>
      )}
    </div>
  );
}
