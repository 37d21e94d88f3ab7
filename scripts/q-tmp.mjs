import Database from 'better-sqlite3';
const db = new Database('/tmp/parley-bench-XHKLfD/parley.db', { readonly: true });
const conv = db.prepare("select id, account_id from conversations where agent_id='01a209ef-8059-7000-a508-2b35884c7f87' limit 1").get();
const t0 = (n, s, a) => { const st = db.prepare(s); for (let i = 0; i < 500; i++) st.all(...a);
  const t = process.hrtime.bigint(); for (let i = 0; i < 5000; i++) st.all(...a);
  console.log(n, (Number(process.hrtime.bigint() - t) / 5e3 / 1000).toFixed(1), 'us', st.all(...a).length); };
const A = [conv.account_id, conv.id];
t0('ids', "select id from messages where account_id=? and conversation_id=? order by id limit 21", A);
t0('star-nofilter', "select * from messages where account_id=? and conversation_id=? order by id limit 21", A);
t0('star', "select * from messages where account_id=? and conversation_id=? and role in ('user','assistant','operator') and status='completed' order by id asc limit 21", A);
t0('cnt', "select count(*) from messages where account_id=? and conversation_id=?", A);
t0('len', "select sum(length(content)), sum(length(sources)) from messages where account_id=? and conversation_id=?", A);
console.log(db.prepare("select count(*) from messages where account_id=? and conversation_id=?").get(...A));
t0('cols-text', "select id, content, role, status from messages where account_id=? and conversation_id=? order by id limit 21", A);
t0('cols-all-but-content', "select id, account_id, conversation_id, role, sources, status, error, modality, author_id, created_at, updated_at, feedback_rating, feedback_comment, feedback_at, locked_until, reply_to_id from messages where account_id=? and conversation_id=? order by id limit 21", A);
t0('content', "select content from messages where account_id=? and conversation_id=? order by id limit 21", A);
const st = db.prepare("select * from messages where account_id=? and conversation_id=? order by id limit 21").raw(true);
{ for (let i = 0; i < 500; i++) st.all(...A); const t = process.hrtime.bigint(); for (let i = 0; i < 5000; i++) st.all(...A); console.log('raw', (Number(process.hrtime.bigint() - t) / 5e6).toFixed(1)); }
console.log(db.prepare("select * from messages where account_id=? and conversation_id=? limit 2").all(...A));
