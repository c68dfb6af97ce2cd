import { render } from 'preact';
import { AUTH } from './api/client.ts';
import { App } from './app.tsx';
import { completeSignIn, signIn } from './auth/sign-in.ts';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/search.css';
import './styles/reader.css';
import './styles/suggest.css';

const root = document.getElementById('app');
// On AWS the app opens signed in: back from the hosted UI with a code, or there to get one.
if (AUTH && !(await completeSignIn(AUTH))) await signIn(AUTH);
if (root) render(<App />, root);
