import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { fullTime, shortTime } from '../ui/format';
import { ErrorState, Empty, FormError, Loading } from '../ui/States';

/** The attempts to send events to one endpoint, newest first, with retry and a test event. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const client = useQueryClient();
  const key = ['deliveries', webhookId];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query: { limit: 50 } } }))).data,
    // Deliveries change as the worker sends them: keep the open log fresh.
    refetchInterval: 5000,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: key });
  const retry = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(api.POST('/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry', { params: { path: { id: webhookId, delivery_id: deliveryId } } })),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id: webhookId } } })),
    onSuccess: refresh,
  });
  return (
    <section aria-label="Delivery log" className="delivery-log">
      <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending}>
        Send a test event
      </button>
      <FormError error={test.error ?? retry.error} />
      {deliveries.isPending ? (
        <Loading />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} retry={() => void deliveries.refetch()} />
      ) : deliveries.data.length === 0 ? (
        <Empty title="No deliveries yet" />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <td>{d.event_type}</td>
                  <td>
                    <span className={`badge ${d.status === 'delivered' ? 'badge-active' : d.status === 'failed' ? 'badge-urgent' : ''}`}>{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.last_status_code ?? d.last_error ?? '—'}</td>
                  <td title={fullTime(d.created_at)}>{shortTime(d.created_at)}</td>
                  <td>
                    {d.status === 'failed' && (
                      <button type="button" className="btn" onClick={() => retry.mutate(d.id)}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
